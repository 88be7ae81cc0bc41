package io.reportpipes.jobs;

import io.reportpipes.state.Database;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cluster mode (report-pipes.cluster.enabled): camel-quartz on Quartz's clustered JDBC JobStore, in the database of
 * the JDBC state store, so that each scheduled fire of a job runs on one node, never two at once, and a run that a
 * dead node left is fired again on another ({@code recoverableJob}), which resumes it from its checkpoint.
 * <p>
 * Also what a cluster needs around it: Quartz's tables created once (never dropped), the schedules of jobs no longer
 * configured removed, run-at-start once per cluster start rather than per pod, and a stopping node taking no fires.
 */
public final class ClusteredScheduling {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    /** camel-quartz's trigger group of {@code quartz:report-pipes/<job>}. */
    static final String GROUP = "report-pipes";
    /** Quartz's own rule: a node silent this much longer than its check-in interval is dead. */
    private static final long QUARTZ_FAILED_NODE_MARGIN_MS = 7_500;
    private static final String DATA_SOURCE = "reportPipes";

    private final Database database;
    private final Duration checkinInterval;

    public ClusteredScheduling(Database database, Duration checkinInterval) {
        this.database = database;
        this.checkinInterval = checkinInterval;
    }

    /**
     * Before Camel starts: Quartz's tables, and camel-quartz's scheduler on them. The scheduler is started by
     * {@link #start} (not by camel-quartz) so that a node can tell whether it is the cluster's first.
     *
     * @param threads the most job runs this node takes at once (Quartz's thread pool)
     */
    public void configure(CamelContext context, String url, String user, String password, int threads)
            throws IOException {
        createTables();
        Map<String, Object> quartz = new HashMap<>();
        // every node the same scheduler name: the cluster is the nodes sharing it
        quartz.put("org.quartz.scheduler.instanceName", "report-pipes");
        quartz.put("org.quartz.scheduler.instanceId", "AUTO");
        quartz.put("org.quartz.scheduler.skipUpdateCheck", "true");
        quartz.put("org.quartz.threadPool.threadCount", Integer.toString(threads));
        quartz.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        quartz.put("org.quartz.jobStore.isClustered", "true");
        quartz.put("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinInterval.toMillis()));
        quartz.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // a node takes up to a thread's worth of due triggers per trip to the database, not one (Quartz's default)
        quartz.put("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(threads));
        String pool = "org.quartz.dataSource." + DATA_SOURCE + ".";
        quartz.put(pool + "provider", "hikaricp");
        quartz.put(pool + "driver", "org.postgresql.Driver");
        quartz.put(pool + "URL", url);
        quartz.put(pool + "user", user);
        quartz.put(pool + "password", password);
        // a connection per Quartz thread, plus the scheduler's and the cluster manager's (Quartz's advice)
        quartz.put(pool + "maxConnections", Integer.toString(threads + 2));
        QuartzComponent component = context.getComponent("quartz", QuartzComponent.class);
        component.setProperties(quartz);
        // the scheduler's name stays report-pipes, not prefixed with this context's
        component.setPrefixInstanceName(false);
        component.setAutoStartScheduler(false);
        context.getManagementStrategy().addEventNotifier(new StandbyOnStop(component));
    }

    /**
     * Once Camel has started: schedules every job, starts the scheduler, removes the schedules of jobs no longer
     * configured and, with run-at-start, fires every job now if no other node is alive (a cluster start, not a pod
     * joining a running cluster or a rolling update).
     */
    public void start(CamelContext context, List<Job> jobs, boolean runAtStart) throws Exception {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        Set<String> keys = jobs.stream().map(job -> JobSchedules.key(job.id())).collect(Collectors.toSet());
        boolean first;
        // one node at a time between "who else is alive" and its own first check-in, so that of two nodes starting
        // together one sees the other
        try (Connection lock = database.connection()) {
            advisoryLock(lock, true);
            try {
                first = liveNodes(lock) == 0;
                jobs.forEach(job -> JobSchedules.add(context, job.id(), job.schedule(), true));
                scheduler.start();
            } finally {
                advisoryLock(lock, false);
            }
        }
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!keys.contains(key.getName())) {
                scheduler.deleteJob(key);
                LOG.info("Removed the schedule of {}: no such job is configured any more", key.getName());
            }
        }
        LOG.info("Cluster mode: scheduler {} of {} joined{}", scheduler.getSchedulerInstanceId(),
                scheduler.getSchedulerName(), first ? " as the first node alive" : " the nodes alive");
        if (runAtStart && first) {
            for (String key : keys) {
                scheduler.triggerJob(new JobKey(key, GROUP));
            }
            LOG.info("report-pipes.run-at-start: {} job(s) fired once for the cluster", keys.size());
        }
    }

    private int liveNodes(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM qrtz_scheduler_state"
                + " WHERE sched_name = 'report-pipes' AND last_checkin_time + checkin_interval + ? >= ?")) {
            select.setLong(1, QUARTZ_FAILED_NODE_MARGIN_MS);
            select.setLong(2, System.currentTimeMillis());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static void advisoryLock(Connection connection, boolean take) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT " + (take ? "pg_advisory_lock" : "pg_advisory_unlock")
                    + "(hashtext('report-pipes/cluster-start'))");
        }
    }

    /**
     * Quartz's tables from the DDL in the quartz jar, once: left alone when they exist (the script's DROP statements
     * are never run), created in one transaction under a lock when two nodes start on an empty database.
     */
    void createTables() throws IOException {
        String script;
        try (InputStream ddl = Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
            if (ddl == null) {
                throw new IOException("the quartz jar has no tables_postgres.sql");
            }
            script = new String(ddl.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(hashtext('report-pipes/quartz-tables'))");
                if (exists(statement)) {
                    connection.rollback();
                    return;
                }
                for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
                    String trimmed = sql.strip();
                    if (trimmed.startsWith("CREATE")) {
                        statement.execute(trimmed);
                    }
                }
                connection.commit();
                LOG.info("Cluster mode: created Quartz's tables (qrtz_*) in {}", database);
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw database.failure("could not create Quartz's tables", e);
        }
    }

    private static boolean exists(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT to_regclass('qrtz_locks') IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        }
    }

    /** A stopping node takes no more fires (the others do) while its running jobs finish. */
    private static final class StandbyOnStop extends SimpleEventNotifierSupport {
        private final QuartzComponent component;

        StandbyOnStop(QuartzComponent component) {
            this.component = component;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStoppingEvent;
        }

        @Override
        public void notify(CamelEvent event) throws SchedulerException {
            Scheduler scheduler = component.getScheduler();
            if (scheduler != null && scheduler.isStarted()) {
                scheduler.standby();
                LOG.info("Cluster mode: this node takes no more fires; its running jobs finish or are taken over");
            }
        }
    }
}
