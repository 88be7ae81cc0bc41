package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.state.Checkpoint;
import io.reportpipes.state.FileCheckpointStore;
import io.reportpipes.state.RunState;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that go on from a checkpoint a killed process left (the crash test kills real processes; these
 * set up each case exactly), and incremental versus full runs.
 */
class ResumeRoutesTest {

    private static final String KEY = "resume-key-83a1";
    private static final String CLIENT_ID = "client-resume";
    private static final String SECRET = "secret-resume-0f9e";
    private static final String RUN = "20260101T000000Z";
    private static final DateTimeFormatter VENDOR = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceminderSandbox serviceminder;
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    private FileCheckpointStore store;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        serviceminder = new ServiceminderSandbox(11, Duration.ofMillis(100), 100, 0);
        serviceminder.addOrganisation(new Organisation("res", KEY, 5, Set.of(2)));
        crewmojo = new CrewmojoSandbox(11, Duration.ofMinutes(30), Duration.ofMinutes(10), 300)
                .addClient(CLIENT_ID, SECRET).forcedJobDuration(Duration.ofMillis(400));
        sandbox = sandboxes.serve(serviceminder, crewmojo);
        store = new FileCheckpointStore(dir.resolve("state"));
    }


    private AppRun serviceminderApp() {
        return new AppRun(sandbox, dir).organisation("res", KEY, 2, "contacts");
    }

    @Test
    void givenACheckpointWithTwoPagesDoneAndADownloadQueued_whenRun_thenTheRunGoesOnWithThatDownload() throws Exception {
        serviceminder.rows("res", "contacts", 60_001);
        List<List<String>> all = serviceminder.expectedRecords("res", payload());
        long thirdPageRowId = Long.parseLong(all.get(50_000).get(0));
        String downloadId = startDownload(thirdPageRowId);
        store.save("serviceminder/res/contacts", new Checkpoint(null, null, null, new RunState(RUN, null, "01/01/2026 00:00:00",
                2, 50_000, 0, thirdPageRowId, false, downloadId, Instant.now().toString(), null, null), null));

        AppRun app = serviceminderApp();
        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(1, serviceminder.calls("startdownload"), "no new download: the queued one was fetched");
        Path run = app.out().resolve("serviceminder/res/contacts").resolve(RUN);
        assertEquals(List.of(RUN + "/_SUCCESS", RUN + "/page-00003.csv"),
                AppRun.names(app.files("serviceminder/res/contacts")), "the run's third page, under the run's id");
        assertEquals(all.subList(50_000, 60_001), CsvTable.read(run.resolve("page-00003.csv")).rows());
        JsonNode marker = json.readTree(run.resolve("_SUCCESS").toFile());
        assertEquals(60_001, marker.get("rows").asLong(), "the done marker counts the pages before the restart too");
        assertEquals(3, marker.get("pages").asInt());
        assertNull(store.load("serviceminder/res/contacts").orElseThrow().run(), "the run is over");
    }

    @Test
    void givenAResumedDownloadWhoseStatusCallNeededARetry_whenThePollFails_thenItGetsItsOwnRetry() throws Exception {
        serviceminder.rows("res", "contacts", 1_000);
        String downloadId = startDownload(0);
        store.save("serviceminder/res/contacts", new Checkpoint(null, null, null, new RunState(RUN, null, null,
                0, 0, 0, 0, false, downloadId, Instant.now().toString(), null, null), null));
        // the restart's status call fails once, then says not ready; the poll's first call fails once
        serviceminder.inject("downloadstatus", ServiceminderSandbox.Fault.HTTP_500, 1);
        serviceminder.inject("downloadstatus", ServiceminderSandbox.Fault.NOT_READY_ONCE, 1);
        serviceminder.inject("downloadstatus", ServiceminderSandbox.Fault.HTTP_500, 1);

        AppRun app = serviceminderApp().set("retry.max-redeliveries", "1");
        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(2 + 2, serviceminder.calls("downloadstatus"), "each status call's failure retried once");
        assertEquals(serviceminder.expectedRecords("res", payload()),
                CsvTable.read(app.out().resolve("serviceminder/res/contacts").resolve(RUN).resolve("page-00001.csv")).rows());
    }

    @Test
    void givenACheckpointWhoseDownloadTheVendorNoLongerKnows_whenRun_thenThePageStartsAgain() throws Exception {
        serviceminder.rows("res", "contacts", 1_000);
        store.save("serviceminder/res/contacts", new Checkpoint(null, null, null, new RunState(RUN, null, null,
                0, 0, 0, 0, false, "no-such-download", Instant.now().toString(), null, null), null));

        AppRun app = serviceminderApp();
        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertTrue(result.logText().contains("from before the restart is not usable any more"), result.logText());
        assertEquals(1, serviceminder.calls("startdownload"));
        assertEquals(serviceminder.expectedRecords("res", payload()),
                CsvTable.read(app.out().resolve("serviceminder/res/contacts").resolve(RUN).resolve("page-00001.csv")).rows());
    }

    @Test
    void givenAnIncrementalKind_whenRun_thenUpdatedFromIsTheLastRunsStartLessTheOverlapAndTheWatermarkMoves()
            throws Exception {
        serviceminder.rows("res", "contacts", 3_000);
        store.save("serviceminder/res/contacts", new Checkpoint("03/01/2026 00:00:00", "earlier", null, null, null));
        AppRun app = serviceminderApp().set("serviceminder.organisation.res.contacts.load", "incremental")
                .set("serviceminder.incremental-overlap", "1h");

        LocalDateTime before = LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0);
        AppRun.Result result = app.run();

        assertSucceeded(result);
        ObjectNode since = payload();
        since.put("UpdatedFrom", "02/28/2026 23:00:00");
        List<List<String>> expected = serviceminder.expectedRecords("res", since);
        assertTrue(expected.size() > 0 && expected.size() < 3_000, "the filter selects some rows: " + expected.size());
        String run = app.onlyRun("serviceminder/res/contacts");
        assertEquals(expected, CsvTable.read(app.out().resolve("serviceminder/res/contacts").resolve(run).resolve("page-00001.csv")).rows());
        assertTrue(result.logText().contains("incremental, UpdatedFrom 02/28/2026 23:00:00"), result.logText());
        LocalDateTime watermark = LocalDateTime.parse(store.load("serviceminder/res/contacts").orElseThrow().watermark(),
                VENDOR);
        assertTrue(!watermark.isBefore(before), "the new watermark is this run's start: " + watermark);
    }

    @Test
    void givenAFullRefreshKind_whenAWatermarkExists_thenItIsIgnoredAndEveryRowComes() throws Exception {
        serviceminder.rows("res", "contacts", 3_000);
        store.save("serviceminder/res/contacts", new Checkpoint("03/01/2026 00:00:00", "earlier", null, null, null));
        AppRun app = serviceminderApp();

        assertSucceeded(app.run());

        String run = app.onlyRun("serviceminder/res/contacts");
        assertEquals(serviceminder.expectedRecords("res", payload()),
                CsvTable.read(app.out().resolve("serviceminder/res/contacts").resolve(run).resolve("page-00001.csv")).rows());
        assertEquals("03/01/2026 00:00:00", store.load("serviceminder/res/contacts").orElseThrow().watermark());
    }

    @Test
    void givenAYoungJobIdFromBeforeARestart_whenRun_thenItIsPolledNotRequestedAgain() throws Exception {
        String jobId = requestReportJob("employee.list");
        store.save("crewmojo/hr/employee.list", new Checkpoint(null, null, null, new RunState(RUN, null, null,
                0, 0, 0, 0, false, jobId, Instant.now().toString(), null, null), null));
        AppRun app = new AppRun(sandbox, dir).client("hr", CLIENT_ID, SECRET, "employee.list");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(1, crewmojo.count("report"), "only the request made before the restart");
        assertTrue(crewmojo.count("poll") >= 1);
        assertEquals(crewmojo.expectedRecords("employee.list", null, null),
                CsvTable.read(app.out().resolve("crewmojo/hr/employee.list").resolve(RUN).resolve("page-00001.csv")).rows());
    }

    @Test
    void givenAJobIdOlderThanTheAbandonLimit_whenRun_thenTheReportIsRequestedAgainUnderTheSameRun() throws Exception {
        store.save("crewmojo/hr/employee.list", new Checkpoint(null, null, null, new RunState(RUN, null, null,
                0, 0, 0, 0, false, "a-stale-job", Instant.now().minus(Duration.ofMinutes(7)).toString(), null, null), null));
        AppRun app = new AppRun(sandbox, dir).client("hr", CLIENT_ID, SECRET, "employee.list");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(0, crewmojo.count("poll"), "the stale jobId is not polled");
        assertEquals(1, crewmojo.count("report"));
        assertEquals(crewmojo.expectedRecords("employee.list", null, null),
                CsvTable.read(app.out().resolve("crewmojo/hr/employee.list").resolve(RUN).resolve("page-00001.csv")).rows());
    }

    private void assertSucceeded(AppRun.Result result) {
        assertEquals(0, result.summary().failures(), () -> result.summary().table() + "\n" + result.logText());
    }

    private ObjectNode payload() {
        ObjectNode payload = json.createObjectNode();
        payload.put("Kind", "contacts");
        return payload;
    }

    /** A download queued by "the process before the restart". */
    private String startDownload(long rowId) throws Exception {
        String body = "{\"ApiKey\":\"" + KEY + "\",\"Kind\":\"contacts\",\"UserId\":2,\"RowId\":" + rowId + "}";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/api/download/startdownload")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(answer.body()).get("DownloadId").asText();
    }

    /** A long-running report requested by "the process before the restart". */
    private String requestReportJob(String report) throws Exception {
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + CrewmojoSandbox.TOKEN_PATH)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + CLIENT_ID
                        + "&client_secret=" + SECRET)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + CrewmojoSandbox.REPORT_PATH + report)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + json.readTree(token.body()).get("access_token").asText())
                .POST(HttpRequest.BodyPublishers.ofString("{\"jobId\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(answer.body()).get("jobId").asText();
    }

}
