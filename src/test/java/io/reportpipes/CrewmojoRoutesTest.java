package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.jobs.RunSummary;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.CrewmojoSandbox.Fault;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.apache.camel.builder.RouteBuilder;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real YAML routes and properties against the Crewmojo sandbox, checked on what reached the file sink. */
class CrewmojoRoutesTest {

    private static final String CLIENT_ID = "client-hr-41";
    private static final String SECRET = "s3cret-hr-9d8c7b6a";
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private final ObjectMapper json = new ObjectMapper();
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    @TempDir
    Path dir;

    @BeforeEach
    void startSandbox() throws Exception {
        crewmojo = new CrewmojoSandbox(5, Duration.ofMinutes(30), Duration.ofMinutes(10), 400)
                .firstDate(TODAY.minusDays(730)).addClient(CLIENT_ID, SECRET);
        sandbox = sandboxes.serve(new ServiceminderSandbox(5, Duration.ZERO, 100, 0), crewmojo);
    }


    private AppRun app(String reports) {
        return new AppRun(sandbox, dir).client("hr", CLIENT_ID, SECRET, reports);
    }

    @Test
    void givenAFixedWindowCsvReport_whenRunOnce_thenOneFileHoldsExactlyTheWindowsRowsAndADoneMarker() throws Exception {
        AppRun app = app("oneonone.summary")
                .set("crewmojo.client.hr.oneonone.summary.start-date", number(TODAY.minusDays(400)))
                .set("crewmojo.client.hr.oneonone.summary.end-date", number(TODAY.minusDays(100)));

        AppRun.Result result = app.run();

        assertSucceeded(result);
        String run = app.onlyRun("crewmojo/hr/oneonone.summary");
        assertEquals(List.of(run + "/_SUCCESS", run + "/page-00001.csv"), AppRun.names(app.files("crewmojo/hr/oneonone.summary")));
        Path runDir = app.out().resolve("crewmojo/hr/oneonone.summary").resolve(run);
        List<List<String>> expected = crewmojo.expectedRecords("oneonone.summary",
                Integer.valueOf(number(TODAY.minusDays(400))), Integer.valueOf(number(TODAY.minusDays(100))));
        assertTrue(expected.size() > 100 && expected.size() < 400, "the window holds part of the report");
        assertEquals(crewmojo.columns("oneonone.summary"), CsvTable.read(runDir.resolve("page-00001.csv")).header());
        assertEquals(expected, CsvTable.read(runDir.resolve("page-00001.csv")).rows());
        JsonNode done = json.readTree(runDir.resolve("_SUCCESS").toFile());
        assertEquals(expected.size(), done.get("rows").asInt());
        assertEquals("hr", done.get("client").asText());
        assertEquals(number(TODAY.minusDays(400)), done.get("startDate").asText());
        assertEquals(1, crewmojo.count("tokens"));
        assertEquals(1, crewmojo.count("report"));
        assertEquals(0, crewmojo.count("poll"));
    }

    @Test
    void givenAJsonReportOfAllDates_whenRunOnce_thenTheVendorsArrayArrivesWithEveryRecord() throws Exception {
        AppRun app = app("employee.list").set("crewmojo.client.hr.employee.list.content-type", "json");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        String run = app.onlyRun("crewmojo/hr/employee.list");
        assertEquals(List.of(run + "/_SUCCESS", run + "/page-00001.json"), AppRun.names(app.files("crewmojo/hr/employee.list")));
        JsonNode array = json.readTree(app.out().resolve("crewmojo/hr/employee.list").resolve(run)
                .resolve("page-00001.json").toFile());
        List<String> columns = crewmojo.columns("employee.list");
        List<List<String>> delivered = new ArrayList<>();
        for (JsonNode record : array) {
            delivered.add(columns.stream().map(c -> record.get(c).asText()).toList());
        }
        assertEquals(crewmojo.expectedRecords("employee.list", null, null), delivered);
        assertEquals(400, delivered.size());
    }

    @Test
    void givenALongRunningReport_whenRunOnce_thenItsJobIdIsPolledUntilTheDataArrivesRowExact() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(700));
        AppRun app = app("goals.progress").set("crewmojo.client.hr.goals.progress.window", "last-30-days");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        List<List<String>> expected = crewmojo.expectedRecords("goals.progress",
                Integer.valueOf(number(TODAY.minusDays(30))), Integer.valueOf(number(TODAY.minusDays(1))));
        assertFalse(expected.isEmpty());
        assertEquals(expected, CsvTable.read(page(app, "crewmojo/hr/goals.progress", "page-00001.csv")).rows());
        assertEquals(1, crewmojo.count("report"), "one request, then polls");
        assertTrue(crewmojo.count("poll") >= 2, "polled until ready: " + crewmojo.count("poll"));
        assertTrue(result.logText().contains("running -> done"), "the state change is logged");
    }

    @Test
    void givenAJobWhoseDataNeverComes_whenRunOnce_thenItIsAbandonedAndRequestedAgainThenFailsClearly() throws Exception {
        crewmojo.slow("goals.progress", null);
        AppRun app = app("goals.progress")
                .set("crewmojo.poll.abandon-after", "400ms")
                .set("crewmojo.job-expiry", "1s")
                .set("crewmojo.poll.max-requests", "3");

        AppRun.Result result = app.run();

        RunSummary.Result job = result.summary().results().get(0);
        assertTrue(job.failed());
        assertTrue(job.error().contains("gave no data after 3 request(s)"), job.error());
        assertTrue(job.error().contains("still running after"), job.error());
        assertEquals(3, crewmojo.count("report"), "requested, abandoned and requested again, 3 times in all");
        assertEquals(2, count(result.logText(), "abandoning it and requesting the report again"));
        assertFalse(result.logText().contains("expired or unknown"), "no poll after a jobId's expiry");
        assertEquals(List.of(), app.files("crewmojo/hr/goals.progress"), "nothing delivered, no done marker");
        assertNoSecretIn(result);
    }

    @Test
    void givenThreeReportsOfOneClientInParallel_whenRunOnce_thenOneTokenServesThemAndNoneIsInvalidated() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(300));
        AppRun app = app("oneonone.summary, employee.list, goals.progress").set("report-pipes.parallel-jobs", "3");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(3, result.summary().results().size());
        assertEquals(0, crewmojo.count("401"), "no job's token was invalidated by another's");
        assertEquals(1, crewmojo.count("tokens"));
        for (String report : List.of("oneonone.summary", "goals.progress")) {
            assertEquals(crewmojo.expectedRecords(report, null, null),
                    CsvTable.read(page(app, "crewmojo/hr/" + report, "page-00001.csv")).rows());
        }
    }

    @Test
    void givenTheTokenIsInvalidatedMidRun_whenPolling_thenItIsRefreshedOnceAndTheReportArrives() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(500));
        crewmojo.inject("poll", Fault.INVALIDATE_TOKEN, 1);
        AppRun app = app("goals.progress");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(1, crewmojo.count("401"));
        assertEquals(2, crewmojo.count("tokens"), "one new token after the 401, no more");
        assertEquals(1, crewmojo.count("report"), "the poll was retried, the report not requested again");
        assertEquals(crewmojo.expectedRecords("goals.progress", null, null),
                CsvTable.read(page(app, "crewmojo/hr/goals.progress", "page-00001.csv")).rows());
    }

    @Test
    void givenOneServerErrorOnTheRequestAndOneOnThePoll_whenEachMayRetryOnce_thenEachCallGetsItsOwnRetry()
            throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(500));
        crewmojo.inject("report", Fault.HTTP_500, 1);
        crewmojo.inject("poll", Fault.HTTP_500, 1);
        AppRun app = app("goals.progress").set("retry.max-redeliveries", "1");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(2, crewmojo.count("report"), "the request once more after its 500");
        assertEquals(crewmojo.expectedRecords("goals.progress", null, null),
                CsvTable.read(page(app, "crewmojo/hr/goals.progress", "page-00001.csv")).rows());
    }

    @Test
    void givenReportDataCutShortOnce_whenRunOnce_thenItIsRequestedAgainAndArrivesRowExact() throws Exception {
        crewmojo.inject("report", Fault.CUT_BODY, 1);
        AppRun app = app("oneonone.summary, employee.list").set("crewmojo.client.hr.employee.list.content-type", "json");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertTrue(result.logText().contains("cut short"), result.logText());
        assertEquals(3, crewmojo.count("report"), "two reports, one of them twice");
        assertEquals(crewmojo.expectedRecords("oneonone.summary", null, null),
                CsvTable.read(page(app, "crewmojo/hr/oneonone.summary", "page-00001.csv")).rows());
        assertEquals(400, json.readTree(page(app, "crewmojo/hr/employee.list", "page-00001.json").toFile()).size());
    }

    @Test
    void givenTokensThatExpireWithinTheRun_whenPolling_thenEachIsReplacedBeforeItExpiresWithoutA401() throws Exception {
        crewmojo = new CrewmojoSandbox(5, Duration.ofSeconds(1), Duration.ofMinutes(10), 400)
                .firstDate(TODAY.minusDays(730)).addClient(CLIENT_ID, SECRET).slow("goals.progress", Duration.ofMillis(2500));
        sandbox = sandboxes.serve(new ServiceminderSandbox(5, Duration.ZERO, 100, 0), crewmojo);
        AppRun app = app("goals.progress").set("crewmojo.token-refresh-margin", "300ms");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertTrue(crewmojo.count("tokens") >= 3, "a new token about every 0.7 s: " + crewmojo.count("tokens"));
        assertEquals(0, crewmojo.count("401"), "no call went out with an expired token");
        assertEquals(crewmojo.expectedRecords("goals.progress", null, null),
                CsvTable.read(page(app, "crewmojo/hr/goals.progress", "page-00001.csv")).rows());
    }

    @Test
    void givenAReportTheVendorRefuses_whenRunOnce_thenThe400IsReportedOnceWithoutRetries() throws Exception {
        AppRun app = app("no.such.report")
                .set("crewmojo.client.hr.no.such.report.start-date", "20250101")
                .set("crewmojo.client.hr.no.such.report.end-date", "20250131");

        AppRun.Result result = app.run();

        RunSummary.Result job = result.summary().results().get(0);
        assertTrue(job.failed());
        assertTrue(job.error().contains("was refused (400 Invalid data received)"), job.error());
        assertTrue(job.error().contains("20250101-20250131"), job.error());
        assertTrue(job.error().contains("crewmojo.client.hr.reports"), job.error());
        assertEquals(1, crewmojo.count("report"), "a 400 is not retried");
        assertEquals(List.of(), app.files("crewmojo/hr/no.such.report"));
    }

    @Test
    void givenAnIncrementalWindow_whenRunTwice_thenTheSecondStartsAfterTheFirstAndNothingIsAskedTwice() throws Exception {
        AppRun app = app("oneonone.summary")
                .set("crewmojo.client.hr.oneonone.summary.window", "incremental")
                .set("crewmojo.client.hr.oneonone.summary.start-date", number(TODAY.minusDays(60)));
        Path checkpoint = dir.resolve("state/crewmojo/hr/oneonone.summary.json");

        AppRun.Result first = app.run();

        assertSucceeded(first);
        assertEquals(crewmojo.expectedRecords("oneonone.summary", Integer.valueOf(number(TODAY.minusDays(60))),
                Integer.valueOf(number(TODAY.minusDays(1)))), CsvTable.read(page(app, "crewmojo/hr/oneonone.summary",
                "page-00001.csv")).rows());
        assertEquals(number(TODAY.minusDays(1)), json.readTree(checkpoint.toFile()).get("watermark").asText());

        // a run the same day has nothing new to ask for
        AppRun.Result second = app.run();

        assertSucceeded(second);
        assertEquals(1, crewmojo.count("report"));
        assertTrue(second.logText().contains("up to date"), second.logText());
        assertFalse(second.logText().contains("watermark moved"), "a run that asked for nothing moves nothing");

        // as if the last run had been five days ago: only the days since are asked for
        Files.writeString(checkpoint, "{\"watermark\":\"" + number(TODAY.minusDays(6)) + "\"}");
        deleteOut(app);
        AppRun.Result third = app.run();

        assertSucceeded(third);
        assertEquals(crewmojo.expectedRecords("oneonone.summary", Integer.valueOf(number(TODAY.minusDays(5))),
                Integer.valueOf(number(TODAY.minusDays(1)))), CsvTable.read(page(app, "crewmojo/hr/oneonone.summary",
                "page-00001.csv")).rows());
        assertEquals(number(TODAY.minusDays(1)), json.readTree(checkpoint.toFile()).get("watermark").asText());
    }

    @Test
    void givenAFullRunWithTokenRefreshes_thenNoSecretOrTokenAppearsInTheLogOrTheSink() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(300));
        crewmojo.inject("report", Fault.INVALIDATE_TOKEN, 1);
        AppRun app = app("oneonone.summary, employee.list, goals.progress")
                .set("crewmojo.client.hr.employee.list.content-type", "json");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(2, crewmojo.issuedTokens().size());
        List<String> delivered = new ArrayList<>();
        try (Stream<Path> files = Files.walk(app.out())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                delivered.add(file + "\n" + Files.readString(file));
            }
        }
        for (String token : crewmojo.issuedTokens()) {
            assertFalse(result.logText().contains(token), "a token appeared in the log");
            assertFalse(String.join("\n", delivered).contains(token), "a token reached the sink");
        }
        assertFalse(String.join("\n", delivered).contains(SECRET), "the secret reached the sink");
    }

    @Test
    void givenAPolledReportAndARefusedToken_whenDelivered_thenEachUnitCarriesOnlyTheDeliveryHeaders() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(300));
        crewmojo.inject("report", Fault.INVALIDATE_TOKEN, 1);
        Map<String, Set<String>> headersByKey = new ConcurrentHashMap<>();
        AppRun app = app("employee.list, goals.progress")
                .set("crewmojo.client.hr.sink", "direct:header-sink")
                .route(new RouteBuilder() {
                    @Override
                    public void configure() {
                        // what each delivered unit carries into a sink that passes headers on (JMS, Kafka, HTTP)
                        from("direct:header-sink").routeId("test-header-sink").errorHandler(noErrorHandler())
                                .process(exchange -> headersByKey.put(exchange.getMessage()
                                        .getHeader("ReportPipesKey", String.class),
                                        Set.copyOf(exchange.getMessage().getHeaders().keySet())))
                                .to("{{sink.files.uri}}");
                    }
                });

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(4, headersByKey.size(), "two reports and their done markers: " + headersByKey.keySet());
        Set<String> delivery = Set.of("CamelFileName", "CamelAwsS3Key", "CamelAwsS3ContentType", "CamelAwsS3Metadata",
                "file", "_AMQ_DUPL_ID");
        headersByKey.forEach((key, names) -> assertEquals(List.of(), names.stream()
                .filter(name -> !delivery.contains(name) && !name.startsWith("ReportPipes")).sorted().toList(),
                key + ": headers that are not the delivery's (a vendor's answer, the token, a call's query)"));
    }

    private void assertSucceeded(AppRun.Result result) {
        assertEquals(0, result.summary().failures(), () -> result.summary().table() + "\n" + result.logText());
        assertNoSecretIn(result);
    }

    private void assertNoSecretIn(AppRun.Result result) {
        assertFalse(result.logText().contains(SECRET), "the client secret appeared in the log");
        for (String token : crewmojo.issuedTokens()) {
            assertFalse(result.logText().contains(token), "a token appeared in the log");
        }
        assertFalse(result.logText().contains("Bearer "), "an Authorization header appeared in the log");
    }

    private static String number(LocalDate date) {
        return YYYYMMDD.format(date);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static void deleteOut(AppRun app) throws Exception {
        try (Stream<Path> walk = Files.walk(app.out())) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }


    private static Path page(AppRun app, String jobId, String name) throws Exception {
        return app.out().resolve(jobId).resolve(app.onlyRun(jobId)).resolve(name);
    }
}
