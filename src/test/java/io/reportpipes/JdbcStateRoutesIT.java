package io.reportpipes;

import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.state.JdbcCheckpointStore;
import io.reportpipes.state.LocalPostgres;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** state.store = jdbc: the application keeps its checkpoints in PostgreSQL instead of files. */
class JdbcStateRoutesIT {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    private LocalPostgres postgres;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        postgres = LocalPostgres.startOrSkip("JdbcStateRoutesIT");
        crewmojo = new CrewmojoSandbox(2, Duration.ofMinutes(30), Duration.ofMinutes(10), 200)
                .firstDate(TODAY.minusDays(730)).addClient("client-db", "secret-db-1");
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(2, Duration.ZERO, 100, 0)
                .addOrganisation(new ServiceminderSandbox.Organisation("alpha", "key-alpha-db", 1, java.util.Set.of(3)));
        serviceminder.rows("alpha", "contacts", 40).rows("alpha", "invoices", 30);
        sandbox = sandboxes.serve(serviceminder, crewmojo);
    }

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void givenTheJdbcStore_whenAnIncrementalJobRunsTwice_thenItsWatermarkLivesInTheDatabase() throws Exception {
        AppRun app = new AppRun(sandbox, dir).client("hr", "client-db", "secret-db-1", "goals.progress")
                .set("crewmojo.client.hr.goals.progress.window", "incremental")
                .set("crewmojo.client.hr.goals.progress.start-date",
                        DateTimeFormatter.BASIC_ISO_DATE.format(TODAY.minusDays(30)))
                .set("state.store", "jdbc")
                .set("state.jdbc.url", postgres.url())
                .set("state.jdbc.user", "postgres")
                .set("state.jdbc.table", "job_state");

        AppRun.Result first = app.run();
        AppRun.Result second = app.run();

        assertEquals(0, first.summary().failures(), first::logText);
        assertEquals(0, second.summary().failures(), second::logText);
        try (io.reportpipes.state.Database database = new io.reportpipes.state.Database(postgres.url(), "postgres", "", 1)) {
            assertEquals(DateTimeFormatter.BASIC_ISO_DATE.format(TODAY.minusDays(1)),
                    new JdbcCheckpointStore(database, "job_state").load("crewmojo/hr/goals.progress").orElseThrow()
                            .watermark());
        }
        assertTrue(second.logText().contains("up to date"), "the second run read the first one's watermark");
        assertEquals(1, crewmojo.count("report"));
        assertFalse(Files.exists(dir.resolve("state")), "no checkpoint file was written");
    }

    @Test
    void givenClusterMode_whenTheFirstNodeStartsAndLaterAJobIsDropped_thenRunAtStartFiresOnceAndTheDroppedScheduleGoes()
            throws Exception {
        AppRun first = cluster().organisation("alpha", "key-alpha-db", 3, "contacts, invoices")
                .set("report-pipes.run-at-start", "true");

        AppRun.Result started = first.runDaemonUntil(() -> Delivered.hasDoneMarker(onlyRunOf(first,
                "serviceminder/alpha/contacts")) && Delivered.hasDoneMarker(onlyRunOf(first, "serviceminder/alpha/invoices")));

        assertTrue(started.logText().contains("as the first node alive"), started::logText);
        assertTrue(started.logText().contains("report-pipes.run-at-start: 2 job(s) fired once for the cluster"),
                started::logText);
        assertTrue(started.logText().contains("this node takes no more fires"), "standby before the routes stop");
        assertEquals(2, jobsScheduled(), "both jobs' schedules in Quartz's tables");

        AppRun second = cluster().organisation("alpha", "key-alpha-db", 3, "contacts");
        AppRun.Result restarted = second.runDaemonUntil(() -> jobsScheduled() == 1);

        assertTrue(restarted.logText().contains("Removed the schedule of serviceminder-alpha-invoices: no such job is "
                + "configured any more"), restarted::logText);
        assertEquals(1, jobsScheduled());
    }

    /** A daemon in cluster mode on the test's database, its jobs scheduled far in the future. */
    private AppRun cluster() {
        return new AppRun(sandbox, dir).set("state.store", "jdbc").set("state.jdbc.url", postgres.url())
                .set("state.jdbc.user", "postgres").set("report-pipes.cluster.enabled", "true")
                .set("report-pipes.schedule", "0 0 0 1 1 ? 2099");
    }

    /** The job's run folder in the sink (a path that does not exist yet before its first page). */
    private static Path onlyRunOf(AppRun app, String jobId) {
        try (java.util.stream.Stream<Path> runs = Files.list(app.out().resolve(jobId))) {
            return runs.findFirst().orElse(app.out().resolve(jobId).resolve("none"));
        } catch (java.io.IOException e) {
            return app.out().resolve(jobId).resolve("none");
        }
    }

    private int jobsScheduled() {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(postgres.url(), "postgres", "");
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SELECT count(*) FROM qrtz_job_details"
                     + " WHERE job_group = 'report-pipes'")) {
            row.next();
            return row.getInt(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
