package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.jobs.RunSummary;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Fault;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.apache.camel.builder.RouteBuilder;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real YAML routes and properties against the sandbox, checked on what reached the file sink. */
class ServiceminderRoutesTest {

    private static final String NORTH_KEY = "test-key-north-7f3a9c";
    private final ObjectMapper json = new ObjectMapper();
    private ServiceminderSandbox serviceminder;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    @TempDir
    Path dir;

    @BeforeEach
    void startSandbox() throws Exception {
        serviceminder = new ServiceminderSandbox(7, Duration.ofMillis(120), 100, 500);
        serviceminder.addOrganisation(new Organisation("alpha", NORTH_KEY, 11, Set.of(4101)));
        sandbox = sandboxes.serve(serviceminder);
    }


    private AppRun app() {
        return new AppRun(sandbox, dir);
    }

    @Test
    void givenA60001RowKind_whenRunOnce_thenThreePagesHoldEveryRowOnceInOrder() throws Exception {
        serviceminder.rows("alpha", "contacts", 60_001);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        String run = app.onlyRun("serviceminder/alpha/contacts");
        assertEquals(List.of(run + "/_SUCCESS", run + "/page-00001.csv", run + "/page-00002.csv",
                run + "/page-00003.csv"), AppRun.names(app.files("serviceminder/alpha/contacts")));
        List<CSVRecord> rows = deliveredRows(app.out().resolve("serviceminder/alpha/contacts").resolve(run));
        assertEquals(60_001, rows.size());
        assertStrictlyAscendingIds(rows);
        assertEquals(expected("alpha", payload("contacts")), values(rows));
        JsonNode done = json.readTree(app.out().resolve("serviceminder/alpha/contacts").resolve(run)
                .resolve("_SUCCESS").toFile());
        assertEquals(3, done.get("pages").asInt());
        assertEquals(60_001, done.get("rows").asLong());
        // each page is its own download: 3 starts, 3 gets
        assertEquals(3, serviceminder.calls("startdownload"));
        assertEquals(3, serviceminder.calls("getdownload"));
        assertNoSecretIn(result);
    }

    @Test
    void givenAnEmptyKind_whenRunOnce_thenOneHeaderOnlyPageAndADoneMarker() throws Exception {
        serviceminder.rows("alpha", "deposits", 0);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "deposits");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        String run = app.onlyRun("serviceminder/alpha/deposits");
        Path runDir = app.out().resolve("serviceminder/alpha/deposits").resolve(run);
        assertEquals(List.of(run + "/_SUCCESS", run + "/page-00001.csv"),
                AppRun.names(app.files("serviceminder/alpha/deposits")));
        List<String> lines = Files.readAllLines(runDir.resolve("page-00001.csv"));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("Id,"));
        assertEquals(0, json.readTree(runDir.resolve("_SUCCESS").toFile()).get("rows").asLong());
    }

    @Test
    void givenFiltersAndSettings_whenRunOnce_thenTheyAreSentAndOnlyMatchingRowsArrive() throws Exception {
        serviceminder.rows("alpha", "contacts", 3_000);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("serviceminder.organisation.alpha.contacts.CreatedFrom", "06/01/2021")
                .set("serviceminder.organisation.alpha.contacts.CreatedThrough", "12/31/2022")
                .set("serviceminder.organisation.alpha.contacts.Contacts.WithEmails", "false")
                .set("serviceminder.organisation.alpha.contacts.Contacts.IncludeCustomFields", "true");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        ObjectNode payload = payload("contacts");
        payload.put("CreatedFrom", "06/01/2021");
        payload.put("CreatedThrough", "12/31/2022");
        payload.putObject("Contacts").put("WithEmails", false).put("IncludeCustomFields", true);
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/contacts");
        assertEquals(expected("alpha", payload), values(rows));
        // and independently of the sandbox's own filter code:
        assertTrue(rows.size() > 10 && rows.size() < 300, "rows: " + rows.size());
        DateTimeFormatter format = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
        for (CSVRecord row : rows) {
            assertEquals("", row.get("Email"));
            LocalDateTime created = LocalDateTime.parse(row.get("CreatedDate"), format);
            assertFalse(created.isBefore(LocalDateTime.of(2021, 6, 1, 0, 0)));
            assertTrue(created.isBefore(LocalDateTime.of(2023, 1, 1, 0, 0)));
            assertTrue(row.isMapped("CustomField1"));
        }
    }

    @Test
    void givenAJsonLinesTransform_whenRunOnce_thenEachRowIsAnObjectWithTheChosenColumns() throws Exception {
        serviceminder.rows("alpha", "contacts", 26_000);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("serviceminder.organisation.alpha.contacts.transform", "slim")
                .set("transform.slim.format", "jsonl")
                .set("transform.slim.columns", "Id, LastName, CreatedDate")
                .set("transform.slim.rename.LastName", "last_name")
                .set("transform.slim.dates", "CreatedDate");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        String run = app.onlyRun("serviceminder/alpha/contacts");
        assertEquals(List.of(run + "/_SUCCESS", run + "/page-00001.jsonl", run + "/page-00002.jsonl"),
                AppRun.names(app.files("serviceminder/alpha/contacts")));
        List<List<String>> delivered = new ArrayList<>();
        for (String page : List.of("page-00001.jsonl", "page-00002.jsonl")) {
            for (String line : Files.readAllLines(app.out().resolve("serviceminder/alpha/contacts").resolve(run)
                    .resolve(page), StandardCharsets.UTF_8)) {
                JsonNode row = json.readTree(line);
                assertEquals(List.of("Id", "last_name", "CreatedDate"), iterable(row.fieldNames()));
                delivered.add(List.of(row.get("Id").asText(), row.get("last_name").asText(),
                        row.get("CreatedDate").asText()));
            }
        }
        DateTimeFormatter vendor = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
        List<List<String>> expected = expected("alpha", payload("contacts")).stream()
                .map(r -> List.of(r.get(0), r.get(2),
                        DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.parse(r.get(11), vendor))))
                .toList();
        assertEquals(expected, delivered);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void givenThreeOrganisationsInParallel_whenRunOnce_thenNoneExceedsItsQueueCap() throws Exception {
        serviceminder.addOrganisation(new Organisation("beta", "test-key-south-1", 12, Set.of(5120)));
        serviceminder.addOrganisation(new Organisation("gamma", "test-key-east-2", 13, Set.of(6007)));
        String kinds = "contacts, invoices, appointments, services";
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, kinds)
                .organisation("beta", "test-key-south-1", 5120, kinds)
                .organisation("gamma", "test-key-east-2", 6007, kinds)
                .set("report-pipes.parallel-jobs", "12")
                .set("serviceminder.max-outstanding-downloads", "2");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(12, result.summary().results().size());
        for (String organisation : List.of("alpha", "beta", "gamma")) {
            int max = serviceminder.maxQueued(organisation);
            assertTrue(max >= 1 && max <= 2, organisation + " had " + max + " downloads queued at once");
            for (String kind : kinds.split(",\\s*")) {
                assertEquals(500, deliveredRows(app, "serviceminder/" + organisation + "/" + kind).size());
            }
        }
        // twelve jobs at once: each line a job logs carries its id in the MDC, whichever thread logged it
        java.util.regex.Pattern page = java.util.regex.Pattern.compile("(serviceminder/\\w+/\\w+) page \\d+: ");
        int checked = 0;
        for (int i = 0; i < result.log().size(); i++) {
            java.util.regex.Matcher line = page.matcher(result.log().get(i));
            if (line.find()) {
                assertEquals(line.group(1), result.jobIds().get(i), result.log().get(i));
                checked++;
            }
        }
        assertTrue(checked >= 24, checked + " page lines");
    }

    @Test
    void givenAFullQueue_whenStarting_thenTheJobWaitsAndEveryRowArrivesOnce() throws Exception {
        serviceminder.rows("alpha", "invoices", 30_000);
        serviceminder.inject("startdownload", Fault.QUEUE_FULL, 3);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "invoices");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/invoices");
        assertEquals(expected("alpha", payload("invoices")), values(rows));
        assertEquals(2 + 3, serviceminder.calls("startdownload"));
        // one WARN line per retry, the job and call named, counting from 1, with the wait
        assertTrue(result.logText().contains("WARN report-pipes serviceminder/alpha/invoices: startdownload failed: "),
                result::logText);
        assertTrue(result.logText().contains("; retry 3 of 30 in 0.05s"), result::logText);
        assertFalse(result.logText().contains("Failed delivery for (MessageId"), "Camel's own retry line is replaced");
        assertTrue(result.logText().contains("download queue is full"), "the wait is logged");
    }

    @Test
    void givenAServerErrorOnce_whenFetching_thenTheCallIsRetriedAndNothingIsLostOrDoubled() throws Exception {
        serviceminder.rows("alpha", "contacts", 26_000);
        serviceminder.inject("getdownload", Fault.HTTP_500, 1);
        serviceminder.inject("downloadstatus", Fault.HTTP_500, 1);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/contacts");
        assertEquals(expected("alpha", payload("contacts")), values(rows));
        assertNoSecretIn(result);
    }

    @Test
    void givenOneFailureInEachCall_whenEachMayRetryOnce_thenEveryCallGetsItsOwnRetryAndTheJobSucceeds()
            throws Exception {
        serviceminder.rows("alpha", "contacts", 30_000);
        serviceminder.inject("startdownload", Fault.HTTP_500, 1);
        serviceminder.inject("downloadstatus", Fault.HTTP_500, 1);
        serviceminder.inject("getdownload", Fault.HTTP_500, 1);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("retry.max-redeliveries", "1");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(expected("alpha", payload("contacts")), values(deliveredRows(app, "serviceminder/alpha/contacts")));
        assertEquals(2 + 1, serviceminder.calls("startdownload"));
        assertEquals(2 + 1, serviceminder.calls("getdownload"));
    }

    @Test
    void givenAConnectionCutMidBody_whenFetching_thenThePageIsFetchedAgainAndNothingIsDoubled() throws Exception {
        serviceminder.rows("alpha", "contacts", 26_000);
        serviceminder.inject("getdownload", Fault.CUT_CONNECTION, 2);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/contacts");
        assertEquals(expected("alpha", payload("contacts")), values(rows));
        assertEquals(2 + 2, serviceminder.calls("getdownload"), "two pages, two cut connections retried");
        assertEmptyWorkDir();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "HTML_PAGE, answered an HTML page instead of CSV",
        "EMPTY_BODY, answered an empty body where a CSV page was due",
        "NO_ID_COLUMN, answered a CSV without an 'Id' column",
        "TRUNCATED_ROW, is cut short"
    })
    void givenABadPageEveryTime_whenFetching_thenTheJobFailsClearlyAndNoPageFileIsLeft(Fault fault, String said)
            throws Exception {
        serviceminder.rows("alpha", "contacts", 1_000);
        serviceminder.inject("getdownload", fault, 1_000);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("retry.max-redeliveries", "2");

        AppRun.Result result = app.run();

        assertEquals(1, result.summary().failures());
        RunSummary.Result job = result.summary().results().get(0);
        assertTrue(job.error().contains(said), job.error());
        assertTrue(job.error().contains("serviceminder/alpha/contacts page 1"), "names the job and page");
        assertEquals(List.of(), app.files("serviceminder/alpha/contacts"), "no page file, no temp file, no marker");
        assertEquals(3, serviceminder.calls("getdownload"), "one call and two retries, no more");
        assertTrue(result.logText().contains("FAILED") && result.logText().contains(said));
        assertEmptyWorkDir();
        assertNoSecretIn(result);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"HTML_PAGE", "EMPTY_BODY", "NO_ID_COLUMN", "TRUNCATED_ROW"})
    void givenABadPageOnce_whenFetching_thenTheRetryDeliversEveryRowExactlyOnce(Fault fault) throws Exception {
        serviceminder.rows("alpha", "contacts", 25_500);
        serviceminder.inject("getdownload", fault, 1);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts");

        AppRun.Result result = app.run();

        assertSucceeded(result);
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/contacts");
        assertEquals(expected("alpha", payload("contacts")), values(rows));
    }

    @Test
    void givenASinkThatCannotWrite_whenDelivering_thenTheJobFailsAfterItsRetriesAndLeavesNoSpoolFile() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the sink wants a folder");
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("sink.files.uri", "file:" + blocked + "?tempPrefix=.inprogress-&fileExist=Override")
                .set("retry.max-redeliveries", "1");

        AppRun.Result result = app.run();

        assertEquals(1, result.summary().failures());
        assertEquals(1, serviceminder.calls("getdownload"), "a sink failure retries the delivery, not the download");
        assertEmptyWorkDir();
        assertNoSecretIn(result);
    }

    @Test
    void givenASinkThatFailsAfterWriting_whenTheDeliveryIsRetried_thenEachUnitIsReplacedNotDoubled() throws Exception {
        serviceminder.rows("alpha", "contacts", 60_001);
        AtomicInteger deliveries = new AtomicInteger();
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("serviceminder.organisation.alpha.sink", "direct:flaky-sink")
                .route(new RouteBuilder() {
                    @Override
                    public void configure() {
                        // writes the unit, then loses the connection: every unit (pages and done marker) once
                        from("direct:flaky-sink").routeId("test-flaky-sink").errorHandler(noErrorHandler())
                                .to("{{sink.files.uri}}")
                                .process(exchange -> {
                                    if (deliveries.incrementAndGet() % 2 == 1) {
                                        throw new IOException("connection to the sink lost after the write");
                                    }
                                });
                    }
                });

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(8, deliveries.get(), "3 pages and the done marker, each delivered twice");
        String run = app.onlyRun("serviceminder/alpha/contacts");
        assertEquals(List.of(run + "/_SUCCESS", run + "/page-00001.csv", run + "/page-00002.csv",
                run + "/page-00003.csv"), AppRun.names(app.files("serviceminder/alpha/contacts")));
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/contacts");
        assertEquals(60_001, rows.size());
        assertStrictlyAscendingIds(rows);
    }

    @Test
    void givenASlowSink_whenAPageIsDelivered_thenTheNextPageIsFetchedMeanwhileAndEveryRowArrivesOnceInOrder()
            throws Exception {
        serviceminder.rows("alpha", "contacts", 60_001);
        List<Long> fetchedWhenDelivered = new CopyOnWriteArrayList<>();
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("serviceminder.poll.first-interval", "10ms")
                .set("serviceminder.organisation.alpha.sink", "direct:slow-sink")
                .route(new RouteBuilder() {
                    @Override
                    public void configure() {
                        // a sink that takes its time: how many pages were fetched by the time it returned
                        from("direct:slow-sink").routeId("test-slow-sink").errorHandler(noErrorHandler())
                                .to("{{sink.files.uri}}")
                                .delay(1000)
                                .process(exchange -> fetchedWhenDelivered.add(serviceminder.calls("getdownload")));
                    }
                });

        AppRun.Result result = app.run();

        assertSucceeded(result);
        assertEquals(List.of(2L, 3L, 3L, 3L), fetchedWhenDelivered,
                "page 2 fetched while page 1 was delivered, page 3 while page 2 was; then the done marker");
        assertEquals(3, serviceminder.calls("startdownload"), "no page fetched twice");
        List<CSVRecord> rows = deliveredRows(app, "serviceminder/alpha/contacts");
        assertEquals(60_001, rows.size());
        assertStrictlyAscendingIds(rows);
        assertEquals(expected("alpha", payload("contacts")), values(rows));
        assertEmptyWorkDir();
    }

    @Test
    void givenASinkThatFailsWhileTheNextPageIsFetched_thenTheJobFailsAndThePageFetchedAheadIsDropped()
            throws Exception {
        serviceminder.rows("alpha", "contacts", 60_001);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("serviceminder.poll.first-interval", "10ms")
                .set("retry.max-redeliveries", "1")
                .set("serviceminder.organisation.alpha.sink", "direct:broken-sink")
                .route(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:broken-sink").routeId("test-broken-sink").errorHandler(noErrorHandler())
                                .delay(500)
                                .throwException(new IOException("the sink is down"));
                    }
                });

        AppRun.Result result = app.run();

        assertEquals(1, result.summary().failures());
        assertTrue(result.logText().contains("the sink is down"), result.logText());
        assertEquals(2, serviceminder.calls("getdownload"), "page 2 was fetched ahead, then dropped");
        assertEmptyWorkDir();
    }

    @Test
    void givenADownloadThatStaysNotReadyPastThePollTimeout_whenPolling_thenTheJobFailsSayingSoAndKeepsTheDownload()
            throws Exception {
        serviceminder = new ServiceminderSandbox(7, Duration.ofMinutes(10), 100, 500);
        serviceminder.addOrganisation(new Organisation("alpha", NORTH_KEY, 11, Set.of(4101)));
        sandbox = sandboxes.serve(serviceminder);
        AppRun app = app().organisation("alpha", NORTH_KEY, 4101, "contacts")
                .set("serviceminder.poll.timeout", "600ms");

        AppRun.Result result = app.run();

        assertEquals(1, result.summary().failures(), result::logText);
        assertTrue(result.logText().contains("raise serviceminder.poll.timeout"), result::logText);
        assertEquals(1, serviceminder.calls("startdownload"), "one download, not one per poll");
        assertTrue(serviceminder.calls("downloadstatus") <= 600 / 50 + 1, "polled no faster than its first interval");
        assertEquals(List.of(), app.files("serviceminder/alpha/contacts"), "nothing delivered");
        JsonNode checkpoint = json.readTree(dir.resolve("state/serviceminder/alpha/contacts.json").toFile());
        assertFalse(checkpoint.path("run").path("handle").asText().isEmpty(),
                "the queued download is kept for the next run: " + checkpoint);
    }

    @Test
    void givenAKeyTheVendorRefuses_whenStarting_thenTheJobFailsAtOnceWithTheVendorsMessage() throws Exception {
        AppRun app = app().organisation("alpha", "test-key-revoked-99", 4101, "contacts");

        AppRun.Result result = app.run();

        assertEquals(1, result.summary().failures());
        String error = result.summary().results().get(0).error();
        assertTrue(error.contains("ResultCode 1: Invalid API key."), error);
        assertEquals(1, serviceminder.calls("startdownload"), "a refusal is not retried");
        assertFalse(result.logText().contains("test-key-revoked-99"), "the key never reaches the log");
    }

    @Test
    void givenAUserWithoutAccess_whenStarting_thenTheVendorsMessageNamesTheProblem() throws Exception {
        AppRun app = app().organisation("alpha", NORTH_KEY, 999, "contacts");

        AppRun.Result result = app.run();

        assertEquals(1, result.summary().failures());
        assertTrue(result.summary().results().get(0).error().contains("User 999 does not exist in this organization"));
        assertEquals(1, serviceminder.calls("startdownload"));
    }

    private void assertSucceeded(AppRun.Result result) {
        assertEquals(0, result.summary().failures(), () -> result.summary().table() + "\n" + result.logText());
        assertNoSecretIn(result);
    }

    private void assertNoSecretIn(AppRun.Result result) {
        assertFalse(result.logText().contains(NORTH_KEY), "the API key appeared in the log");
    }

    private void assertEmptyWorkDir() throws Exception {
        Path spool = dir.resolve("work/spool");
        if (Files.exists(spool)) {
            try (var files = Files.list(spool)) {
                assertEquals(List.of(), files.toList(), "spool files left behind");
            }
        }
    }

    private static void assertStrictlyAscendingIds(List<CSVRecord> rows) {
        Set<Long> seen = new HashSet<>();
        long previous = -1;
        for (CSVRecord row : rows) {
            long id = Long.parseLong(row.get("Id"));
            assertTrue(id > previous, "Id " + id + " after " + previous);
            assertTrue(seen.add(id));
            previous = id;
        }
    }

    private ObjectNode payload(String kind) {
        ObjectNode payload = json.createObjectNode();
        payload.put("Kind", kind);
        return payload;
    }

    private List<List<String>> expected(String organisation, ObjectNode payload) throws Exception {
        return serviceminder.expectedRecords(organisation, payload);
    }



    /** The rows of a job's only run. */
    private static List<CSVRecord> deliveredRows(AppRun app, String jobId) throws Exception {
        return deliveredRows(app.out().resolve(jobId).resolve(app.onlyRun(jobId)));
    }

    /** Every data row of a run's pages, in page order; all pages must have the same header. */
    private static List<CSVRecord> deliveredRows(Path runDir) throws Exception {
        List<CSVRecord> rows = new ArrayList<>();
        List<String> header = null;
        List<Path> pages;
        try (var files = Files.list(runDir)) {
            pages = files.filter(p -> p.getFileName().toString().startsWith("page-")).sorted().toList();
        }
        for (Path page : pages) {
            CsvTable table = CsvTable.read(page);
            if (header == null) {
                header = table.header();
            }
            assertEquals(header, table.header());
            rows.addAll(table.records());
        }
        return rows;
    }

    private static List<List<String>> values(List<CSVRecord> rows) {
        return rows.stream().map(CSVRecord::toList).toList();
    }

}
