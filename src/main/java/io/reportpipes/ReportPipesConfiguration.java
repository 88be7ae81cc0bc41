package io.reportpipes;

import io.reportpipes.crewmojo.CrewmojoApi;
import io.reportpipes.crewmojo.CrewmojoExtraction;
import io.reportpipes.crewmojo.CrewmojoJob;
import io.reportpipes.crewmojo.CrewmojoJobs;
import io.reportpipes.crewmojo.LocalTokens;
import io.reportpipes.crewmojo.SharedTokens;
import io.reportpipes.crewmojo.ReportPolling;
import io.reportpipes.delivery.ArtemisConnections;
import io.reportpipes.delivery.DeliveryHeaders;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.delivery.RecordBatches;
import io.reportpipes.jobs.Backfill;
import io.reportpipes.jobs.Job;
import io.reportpipes.jobs.Backoff;
import io.reportpipes.jobs.ClusteredScheduling;
import io.reportpipes.jobs.DateWindow;
import io.reportpipes.jobs.JobSchedules;
import io.reportpipes.jobs.JobSettings;
import io.reportpipes.jobs.JobPagesComponent;
import io.reportpipes.jobs.Jobs;
import io.reportpipes.jobs.RetryLog;
import io.reportpipes.jobs.VendorHttpHeaders;
import io.reportpipes.jobs.RetryableFailures;
import io.reportpipes.jobs.RunOnce;
import io.reportpipes.jobs.RunSummary;
import io.reportpipes.ops.DependenciesHealthCheck;
import io.reportpipes.ops.JobMonitor;
import io.reportpipes.ops.JobsHealthCheck;
import io.reportpipes.sandbox.EmbeddedSandbox;
import io.reportpipes.serviceminder.DownloadSlots;
import io.reportpipes.serviceminder.LocalDownloadSlots;
import io.reportpipes.serviceminder.SharedDownloadSlots;
import io.reportpipes.serviceminder.ServiceminderApi;
import io.reportpipes.serviceminder.ServiceminderExtraction;
import io.reportpipes.serviceminder.ServiceminderJob;
import io.reportpipes.serviceminder.ServiceminderJobs;
import io.reportpipes.jobs.CallRetryCounts;
import io.reportpipes.jobs.Checkpoints;
import io.reportpipes.state.CheckpointStore;
import io.reportpipes.state.Database;
import io.reportpipes.state.FileCheckpointStore;
import io.reportpipes.state.JdbcCheckpointStore;
import io.reportpipes.serviceminder.StatusPolling;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds the beans the YAML routes call by name, from {@code application.properties}, and starts the
 * embedded vendor sandbox when {@code sandbox.enabled=true}. Configuration errors stop start-up here,
 * with every problem listed.
 */
public final class ReportPipesConfiguration implements CamelConfiguration {

    private static final Set<String> MODES = Set.of("run-once", "daemon", "backfill");
    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        String mode = property(pc, "report-pipes.mode");
        if (!MODES.contains(mode)) {
            throw new InvalidConfigurationException(List.of("report-pipes.mode must be run-once, daemon or backfill, "
                    + "not '" + mode + "'"));
        }
        boolean sandbox = Boolean.parseBoolean(property(pc, "sandbox.enabled"));
        if (sandbox) {
            requireLocalPart("io.reportpipes.sandbox.SandboxServer", "sandbox.enabled = true");
        }
        List<String> problems = new ArrayList<>(MountedProperties.keysSetTwice(
                pc.resolveProperty("camel.main.cloud-properties-location").orElse("")));
        JobSettings settings = new JobSettings(pc, problems);
        // a Pipe's pod runs its Kamelet's job only, not the organisations and clients of application.properties
        boolean configuredJobs = Boolean.parseBoolean(property(pc, "report-pipes.configured-jobs"));
        List<ServiceminderJob> serviceminderJobs = configuredJobs ? ServiceminderJobs.load(settings, sandbox) : List.of();
        List<CrewmojoJob> crewmojoJobs = configuredJobs ? CrewmojoJobs.load(settings, sandbox) : List.of();
        if (serviceminderJobs.isEmpty() && crewmojoJobs.isEmpty() && !"daemon".equals(mode)) {
            // a daemon may run only the source Kamelets' jobs (a Camel K Pipe); anything else needs one here
            problems.add("No job configured: set serviceminder.organisations or crewmojo.clients in "
                    + "application.properties");
        }
        Jobs jobs = new Jobs(serviceminderJobs, crewmojoJobs);
        boolean cluster = Boolean.parseBoolean(property(pc, "report-pipes.cluster.enabled"));
        if (cluster) {
            problems.addAll(clusterProblems(pc, jobs, mode));
        }
        if (sandbox && !Boolean.parseBoolean(property(pc, "sandbox.deliver-to-remote-sinks"))) {
            problems.addAll(sandboxDataProblems(jobs));
        }
        if (!serviceminderJobs.isEmpty()) {
            requireTls(pc, "serviceminder.base-url", problems);
        }
        if (!crewmojoJobs.isEmpty()) {
            requireTls(pc, "crewmojo.base-url", problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        Clock clock = Clock.systemUTC();

        var registry = context.getRegistry();
        registry.bind("jobs", jobs);
        PageSpooler spooler = new PageSpooler(Path.of(property(pc, "report-pipes.work-dir"), "spool"));
        spooler.clear();
        registry.bind("pageSpooler", spooler);
        Database database = "jdbc".equals(property(pc, "state.store")) ? new Database(property(pc, "state.jdbc.url"),
                pc.resolveProperty("state.jdbc.user").orElse(""), pc.resolveProperty("state.jdbc.password").orElse(""),
                Integer.parseInt(property(pc, "state.jdbc.pool-size"))) : null;
        if (database != null) {
            closeOnStop(context, database);
        }
        CheckpointStore store = checkpointStore(pc, database);
        Checkpoints checkpoints = new Checkpoints(store, clock);
        registry.bind("checkpoints", checkpoints);
        JobMonitor monitor = new JobMonitor(jobs, checkpoints, clock);
        registry.bind("jobMonitor", monitor);
        context.getManagementStrategy().addEventNotifier(monitor);
        registry.bind("jobsHealthCheck", new JobsHealthCheck(monitor));
        registry.bind("dependenciesHealthCheck", new DependenciesHealthCheck(store,
                jobs.all().stream().map(Job::sinkUri).collect(Collectors.toSet())));

        DateTimeFormatter serviceminderDates = DateTimeFormatter.ofPattern(property(pc, "serviceminder.date-format"))
                .withZone(ZoneId.of(property(pc, "serviceminder.time-zone")));
        registry.bind("serviceminderApi", new ServiceminderApi(property(pc, "serviceminder.status.ready-field"),
                property(pc, "serviceminder.status.ready-value"),
                Pattern.compile(property(pc, "serviceminder.queue-full-message"), Pattern.CASE_INSENSITIVE),
                Pattern.compile(property(pc, "serviceminder.try-again-message"), Pattern.CASE_INSENSITIVE),
                serviceminderDates, property(pc, "serviceminder.backfill-filter"), monitor));
        int downloadCap = Integer.parseInt(property(pc, "serviceminder.max-outstanding-downloads"));
        DownloadSlots slots = cluster ? new SharedDownloadSlots(database, downloadCap, checkpoints,
                property(pc, "state.jdbc.table"), duration(pc, "report-pipes.cluster.stale-download-after"))
                : new LocalDownloadSlots(downloadCap);
        registry.bind("downloadSlots", slots);
        serviceminderJobs.stream().map(ServiceminderJob::organisation).distinct().forEach(organisation -> {
            monitor.gauge("report.pipes.downloads.in.flight", "serviceminder downloads queued and not yet fetched",
                    "organisation", organisation, slots::inFlight);
            monitor.gauge("report.pipes.downloads.in.flight.max", "The most downloads one organisation may have "
                    + "queued (serviceminder.max-outstanding-downloads; the vendor's cap is 100)", "organisation",
                    organisation, o -> slots.perOrganisation());
        });
        registry.bind("statusPolling", new StatusPolling(backoff(pc, "serviceminder.poll.first-interval",
                "serviceminder.poll.factor", "serviceminder.poll.max-interval"),
                duration(pc, "serviceminder.poll.timeout")));
        registry.bind("serviceminderExtraction", new ServiceminderExtraction(spooler,
                Integer.parseInt(property(pc, "serviceminder.page-size")),
                property(pc, "serviceminder.id-column"), clock, checkpoints, serviceminderDates,
                duration(pc, "serviceminder.incremental-overlap"), monitor, slots));

        ReportPolling reportPolling = new ReportPolling(backoff(pc, "crewmojo.poll.first-interval",
                "crewmojo.poll.factor", "crewmojo.poll.max-interval"),
                duration(pc, "crewmojo.poll.abandon-after"), duration(pc, "crewmojo.job-expiry"),
                Integer.parseInt(property(pc, "crewmojo.poll.max-requests")));
        registry.bind("reportPolling", reportPolling);
        Duration refreshMargin = duration(pc, "crewmojo.token-refresh-margin");
        Duration tokenLockWait = cluster ? duration(pc, "report-pipes.cluster.token-lock-wait") : null;
        registry.bind("crewmojoApi", new CrewmojoApi(context, spooler, reportPolling, source -> cluster
                ? new SharedTokens(database, source, refreshMargin, tokenLockWait)
                : new LocalTokens(source, refreshMargin), monitor));
        registry.bind("crewmojoExtraction", new CrewmojoExtraction(spooler, checkpoints, clock,
                ZoneId.of(property(pc, "crewmojo.time-zone")),
                Integer.parseInt(property(pc, "crewmojo.incremental-overlap-days")),
                duration(pc, "crewmojo.poll.abandon-after"), monitor));

        if (jobs.all().stream().anyMatch(job -> job.sinkUri().startsWith("jms:"))) {
            ArtemisConnections.configure(context, property(pc, "sink.jms.broker-url"),
                    pc.resolveProperty("sink.jms.user").orElse(""), pc.resolveProperty("sink.jms.password").orElse(""),
                    Integer.parseInt(property(pc, "sink.jms.min-large-message-size")),
                    Integer.parseInt(property(pc, "sink.jms.session-cache-size")));
        }
        // the waits of vendor-retries' policies (backOffMultiplier 2; the queue-full one fixed), for the retry lines
        registry.bind("retryLog", new RetryLog(new Backoff(Long.parseLong(property(pc, "retry.delay-ms")), 2,
                Long.parseLong(property(pc, "retry.max-delay-ms")))));
        long queueFullDelay = Long.parseLong(property(pc, "serviceminder.queue-full.delay-ms"));
        registry.bind("queueFullRetryLog", new RetryLog(new Backoff(queueFullDelay, 1, queueFullDelay)));
        registry.bind("vendorHttpHeaders", new VendorHttpHeaders());
        // the routes of the retried-call configuration: each call with its own retries
        context.addRoutePolicyFactory(new CallRetryCounts());
        // a source Kamelet's route: from job-pages (its job's pages) to kamelet:sink
        context.addComponent(JobPagesComponent.SCHEME, new JobPagesComponent());
        registry.bind("retryableFailures", new RetryableFailures(
                JobSettings.list(pc.resolveProperty("retry.sink-exceptions").orElse(""))));
        registry.bind("recordBatches", new RecordBatches());
        registry.bind("deliveryHeaders", new DeliveryHeaders(pc.resolveProperty("sink.key-prefix").orElse("").trim()));
        if ("backfill".equals(mode)) {
            registry.bind("backfill", new Backfill(jobs, checkpoints, new DateWindow(
                    LocalDate.parse(property(pc, "report-pipes.backfill.from")),
                    LocalDate.parse(property(pc, "report-pipes.backfill.to"))),
                    Integer.parseInt(property(pc, "report-pipes.backfill.window-days")),
                    JobSettings.list(pc.resolveProperty("report-pipes.backfill.jobs").orElse(""))));
        }
        RunSummary summary = new RunSummary(monitor);
        registry.bind("runSummary", summary);
        IntConsumer exit = registry.lookupByNameAndType(RunOnce.EXIT_BEAN, IntConsumer.class);
        registry.bind("runOnce", new RunOnce(summary, exit != null ? exit : System::exit));
        ExecutorService executor = context.getExecutorServiceManager().newFixedThreadPool(this, "report-pipes-job",
                Integer.parseInt(property(pc, "report-pipes.parallel-jobs")));
        registry.bind("jobExecutor", executor);
        // a job fetches at most one page ahead at a time: as many threads as jobs, so none waits for another's
        registry.bind("fetchAheadExecutor", context.getExecutorServiceManager().newFixedThreadPool(this,
                "report-pipes-fetch-ahead", Integer.parseInt(property(pc, "report-pipes.parallel-jobs"))));

        loadFlowRoutes(context, property(pc, "report-pipes.flow-routes"));

        if (sandbox) {
            LOG.warn("\n  *** The vendor APIs are report-pipes' BUILT-IN SANDBOX: every row delivered is synthetic. ***"
                    + "\n  *** For the real APIs: -Dcamel.main.profile=vendor (README, \"Switch to the real APIs\").   ***");
            closeOnStop(context, EmbeddedSandbox.start(pc, serviceminderJobs, crewmojoJobs));
        }
        if (Boolean.parseBoolean(property(pc, "local-brokers.artemis.enabled"))) {
            requireLocalPart("io.reportpipes.delivery.LocalArtemis", "local-brokers.artemis.enabled = true");
            closeOnStop(context, LocalArtemis.startForThisProcess(Path.of(property(pc, "local-brokers.artemis.data-dir")),
                    Integer.parseInt(property(pc, "local-brokers.artemis.port"))));
        }
        if ("daemon".equals(mode)) {
            List<Job> scheduled = jobs.all().stream().filter(job -> !job.schedule().isEmpty()).toList();
            ClusteredScheduling clustered = cluster
                    ? new ClusteredScheduling(database, duration(pc, "report-pipes.cluster.checkin-interval")) : null;
            if (clustered != null) {
                clustered.configure(context, property(pc, "state.jdbc.url"),
                        pc.resolveProperty("state.jdbc.user").orElse(""),
                        pc.resolveProperty("state.jdbc.password").orElse(""),
                        Integer.parseInt(property(pc, "report-pipes.parallel-jobs")));
            }
            boolean runAtStart = Boolean.parseBoolean(property(pc, "report-pipes.run-at-start"));
            context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) throws Exception {
                    if (event instanceof CamelEvent.CamelContextStartedEvent) {
                        if (clustered != null) {
                            clustered.start(context, scheduled, runAtStart);
                        } else {
                            scheduled.forEach(job -> JobSchedules.add(context, job.id(), job.schedule(), false));
                        }
                    }
                }
            });
        }
    }

    private static void requireTls(PropertiesComponent pc, String key, List<String> problems) {
        try {
            JobSettings.requireTls(property(pc, key), key);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** Cluster mode shares its state in the JDBC store's database, and runs jobs on their schedules only. */
    private static List<String> clusterProblems(PropertiesComponent pc, Jobs jobs, String mode) {
        List<String> problems = new ArrayList<>();
        if (!"jdbc".equals(property(pc, "state.store"))) {
            problems.add("report-pipes.cluster.enabled = true needs state.store = jdbc: the nodes share Quartz's "
                    + "schedules, the checkpoints, the Crewmojo tokens and the download cap in that database");
        }
        for (Job job : jobs.all()) {
            if ("daemon".equals(mode) && job.schedule().isEmpty()) {
                problems.add(job.id() + " has no schedule: in cluster mode a job runs on its schedule, on one "
                        + "node (set report-pipes.schedule or the job's own)");
            }
        }
        return problems;
    }

    /** The sandbox's synthetic rows must not reach a real bucket or broker because the vendor profile was forgotten. */
    private static List<String> sandboxDataProblems(Jobs jobs) {
        Map<String, List<String>> jobsBySink = new TreeMap<>();
        for (Job job : jobs.all()) {
            // an undefined sink is reported on its own
            if (!job.sinkUri().isEmpty() && !job.sinkUri().startsWith("file:")) {
                jobsBySink.computeIfAbsent(job.sinkUri().replaceAll("[?].*", ""), s -> new ArrayList<>()).add(job.id());
            }
        }
        List<String> problems = new ArrayList<>();
        jobsBySink.forEach((sink, ids) -> problems.add("the built-in sandbox's synthetic rows would go to " + sink
                + " (" + String.join(", ", ids) + "): run with the real APIs (-Dcamel.main.profile=vendor), or set "
                + "sandbox.deliver-to-remote-sinks = true if that sink is a test one"));
        return problems;
    }

    /**
     * The sandbox and the local broker are in the -app jar and camel:run, not in the jar a Camel K pod takes. They
     * are reached only through a static call that returns an AutoCloseable, so that this class loads without them.
     */
    private static void requireLocalPart(String className, String setting) {
        try {
            Class.forName(className, false, ReportPipesConfiguration.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(setting + ", but this build of report-pipes leaves that out (the jar a "
                    + "Camel K pod depends on): set it to false, or run ./mvnw camel:run or the -app jar");
        }
    }

    /** state.store: file (the default) or jdbc. */
    private static CheckpointStore checkpointStore(PropertiesComponent pc, Database database) throws IOException {
        String store = property(pc, "state.store");
        return switch (store) {
            case "file" -> new FileCheckpointStore(Path.of(property(pc, "state.file.dir")));
            case "jdbc" -> new JdbcCheckpointStore(database, property(pc, "state.jdbc.table"));
            default -> throw new IllegalArgumentException("state.store must be file or jdbc, not '" + store + "'");
        };
    }

    /** Servers this process started (sandbox, local broker) stop after Camel: in-flight pages finish first. */
    private static void closeOnStop(CamelContext context, AutoCloseable server) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext camelContext) {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not stop " + server, e);
                }
            }
        });
    }

    /**
     * The project's routes, by Camel's own loader (route configurations first, as Camel Main loads them), so that
     * a pod needs no routes-include-pattern of its own: in a Pipe, the operator's names the Pipe's flow.
     */
    private static void loadFlowRoutes(CamelContext context, String pattern) throws Exception {
        Collection<Resource> routes = PluginHelper.getPackageScanResourceResolver(context).findResources(pattern);
        if (routes.isEmpty()) {
            throw new InvalidConfigurationException(List.of("report-pipes.flow-routes: no route file at " + pattern));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
    }

    static String property(PropertiesComponent pc, String key) {
        return pc.resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new InvalidConfigurationException(List.of("Missing setting " + key
                        + " (application.properties or the defaults in the jar, META-INF/microprofile-config.properties; "
                        + "camel-main.properties on this machine, deploy/camel-k/camel-k.properties in a pod)")));
    }

    static Backoff backoff(PropertiesComponent pc, String firstKey, String factorKey, String capKey) {
        return Backoff.of(duration(pc, firstKey), Double.parseDouble(property(pc, factorKey)), duration(pc, capKey),
                factorKey);
    }

    static Duration duration(PropertiesComponent pc, String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(property(pc, key)));
    }
}
