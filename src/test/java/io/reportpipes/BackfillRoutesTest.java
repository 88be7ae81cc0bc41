package io.reportpipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.state.Checkpoint;
import io.reportpipes.state.FileCheckpointStore;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report-pipes.mode = backfill: a date range cut into windows, one checkpointed run per window. */
class BackfillRoutesTest {

    private static final String KEY = "backfill-key-2b7c";
    private static final List<String> WINDOWS = List.of("20240101-20240110", "20240111-20240120", "20240121-20240125");
    private final ObjectMapper json = new ObjectMapper();
    private ServiceminderSandbox serviceminder;
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        serviceminder = new ServiceminderSandbox(8, Duration.ofMillis(50), 100, 0);
        serviceminder.addOrganisation(new Organisation("bf", KEY, 9, Set.of(3)));
        crewmojo = new CrewmojoSandbox(8, Duration.ofMinutes(30), Duration.ofMinutes(10), 3_000)
                .addClient("client-bf", "secret-bf-77");
        sandbox = sandboxes.serve(serviceminder, crewmojo);
    }


    /** 2024-01-01 to 2024-01-25 in windows of 10 days: three windows, the last one shorter. */
    private AppRun backfill(AppRun app) {
        return app.set("report-pipes.mode", "backfill").set("report-pipes.backfill.from", "2024-01-01")
                .set("report-pipes.backfill.to", "2024-01-25").set("report-pipes.backfill.window-days", "10");
    }

    @Test
    void givenACrewmojoReport_whenBackfilled_thenEachWindowIsARunOfItsOwnWithExactlyItsRows() throws Exception {
        AppRun app = backfill(new AppRun(sandbox, dir).client("hr", "client-bf", "secret-bf-77", "oneonone.summary"));

        AppRun.Result result = app.run();

        assertEquals(0, result.summary().failures(), result::logText);
        assertEquals(3, result.summary().results().size(), "one run per window");
        for (String window : WINDOWS) {
            Path run = app.out().resolve("crewmojo/hr/oneonone.summary/backfill-" + window);
            String[] ends = window.split("-");
            List<List<String>> expected = crewmojo.expectedRecords("oneonone.summary", Integer.valueOf(ends[0]),
                    Integer.valueOf(ends[1]));
            assertTrue(expected.size() > 10, "the window holds rows");
            assertEquals(expected, CsvTable.read(run.resolve("page-00001.csv")).rows(), window);
            assertEquals(window, json.readTree(run.resolve("_SUCCESS").toFile()).get("backfillWindow").asText());
        }
        assertEquals("20240125", new FileCheckpointStore(dir.resolve("state")).load("crewmojo/hr/oneonone.summary")
                .orElseThrow().backfill().doneThrough());

        // the same backfill again: every window is done, nothing is asked for
        AppRun.Result again = app.run();

        assertEquals(0, again.summary().results().size());
        assertEquals(3, crewmojo.count("report"));
    }

    @Test
    void givenAWindowThatFails_whenTheBackfillIsStartedAgain_thenItGoesOnFromThatWindowNotTheFirst() throws Exception {
        new FileCheckpointStore(dir.resolve("state")).save("crewmojo/hr/goals.progress", new Checkpoint(null, null, null,
                null, new Checkpoint.Backfill("20240101-20240125 by 10 days", "20240110")));
        AppRun app = backfill(new AppRun(sandbox, dir).client("hr", "client-bf", "secret-bf-77", "goals.progress"))
                .set("retry.max-redeliveries", "1");
        crewmojo.inject("report", CrewmojoSandbox.Fault.HTTP_500, 2);

        AppRun.Result failed = app.run();

        assertEquals(1, failed.summary().failures(), failed.summary()::table);
        assertEquals(1, failed.summary().results().size(), "the job stopped at its failed window");
        assertTrue(failed.summary().results().get(0).jobId().endsWith(WINDOWS.get(1)), failed.summary()::table);

        AppRun.Result resumed = app.run();

        assertEquals(0, resumed.summary().failures(), resumed::logText);
        assertEquals(2, resumed.summary().results().size(), "the failed window, then the last");
        assertEquals(4, crewmojo.count("report"), "the first window was done before: never asked for");
        assertTrue(Files.notExists(app.out().resolve("crewmojo/hr/goals.progress/backfill-" + WINDOWS.get(0))));
        for (String window : WINDOWS.subList(1, 3)) {
            String[] ends = window.split("-");
            assertEquals(crewmojo.expectedRecords("goals.progress", Integer.valueOf(ends[0]), Integer.valueOf(ends[1])),
                    CsvTable.read(app.out().resolve("crewmojo/hr/goals.progress/backfill-" + window).resolve("page-00001.csv")).rows());
        }
    }

    @Test
    void givenAServiceminderKind_whenBackfilled_thenEachWindowSendsItsCreatedDatesAndHoldsExactlyItsRows()
            throws Exception {
        serviceminder.rows("bf", "contacts", 20_000);
        AppRun app = backfill(new AppRun(sandbox, dir).organisation("bf", KEY, 3, "contacts"))
                .set("report-pipes.backfill.from", "2021-01-01").set("report-pipes.backfill.to", "2021-03-31")
                .set("report-pipes.backfill.window-days", "31");

        AppRun.Result result = app.run();

        assertEquals(0, result.summary().failures(), result::logText);
        List<String> windows = List.of("20210101-20210131", "20210201-20210303", "20210304-20210331");
        List<String> froms = List.of("01/01/2021 00:00:00", "02/01/2021 00:00:00", "03/04/2021 00:00:00");
        List<String> throughs = List.of("01/31/2021 23:59:59", "03/03/2021 23:59:59", "03/31/2021 23:59:59");
        int total = 0;
        for (int i = 0; i < 3; i++) {
            ObjectNode payload = json.createObjectNode();
            payload.put("Kind", "contacts");
            payload.put("CreatedFrom", froms.get(i));
            payload.put("CreatedThrough", throughs.get(i));
            List<List<String>> expected = serviceminder.expectedRecords("bf", payload);
            assertTrue(expected.size() > 0, "rows in " + windows.get(i));
            assertEquals(expected, CsvTable.read(app.out().resolve("serviceminder/bf/contacts/backfill-" + windows.get(i))
                    .resolve("page-00001.csv")).rows());
            total += expected.size();
        }
        assertTrue(total < 20_000, "only the range's rows: " + total);
    }

}
