package io.reportpipes;

import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.state.JdbcCheckpointStore;
import io.reportpipes.state.LocalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** state.store = jdbc: the application keeps its checkpoints in PostgreSQL instead of files. */
class JdbcStateRoutesTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private CrewmojoSandbox crewmojo;
    private SandboxServer sandbox;
    private LocalPostgres postgres;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Optional<Path> bin = LocalPostgres.binaries();
        if (bin.isEmpty()) {
            System.err.println("\n*** JdbcStateRoutesTest SKIPPED: no PostgreSQL server binaries on this machine ***\n");
        }
        Assumptions.assumeTrue(bin.isPresent(), "no PostgreSQL binaries");
        postgres = LocalPostgres.start(bin.get());
        crewmojo = new CrewmojoSandbox(2, Duration.ofMinutes(30), Duration.ofMinutes(10), 200)
                .firstDate(TODAY.minusDays(730)).addClient("client-db", "secret-db-1");
        sandbox = SandboxServer.start(0, new ServiceminderSandbox(2, Duration.ZERO, 100, 0), crewmojo);
    }

    @AfterEach
    void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
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
        assertEquals(DateTimeFormatter.BASIC_ISO_DATE.format(TODAY.minusDays(1)),
                new JdbcCheckpointStore(postgres.url(), "postgres", "", "job_state").load("crewmojo/hr/goals.progress")
                        .orElseThrow().watermark());
        assertTrue(second.logText().contains("up to date"), "the second run read the first one's watermark");
        assertEquals(1, crewmojo.count("report"));
        assertFalse(Files.exists(dir.resolve("state")), "no checkpoint file was written");
    }
}
