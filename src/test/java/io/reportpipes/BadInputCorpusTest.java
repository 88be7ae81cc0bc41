package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus: malformed vendor answers (fixtures under src/test/resources/corpus/, served by the
 * sandbox in place of the real answer from a given call on). For each: the job retries as documented and then
 * fails, the log says what came back and what to do (at most an 80-character excerpt of the body, never a
 * secret; each fixture's marker sits past that), nothing is committed for
 * the bad page, and the checkpoint stays where the last good page left it.
 */
class BadInputCorpusTest {

    private static final String KEY = "test-key-corpus-3391";
    private static final String CLIENT_ID = "test-client-corpus";
    private static final String SECRET = "test-secret-corpus-7720";
    /** In each fixture's body, never in a message. */
    private static final String MARKER = "CORPUS-MARKER";
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dir;

    /**
     * @param call        the endpoint answered with the fixture (getdownload, token, report, poll)
     * @param from        the first call answered so (2: the first page is good)
     * @param goodPages   pages committed before the bad one
     * @param expected    what the log must say
     */
    record Case(String name, String vendor, String call, long from, int status, String contentType, byte[] body,
                int goodPages, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corpus() throws IOException {
        return Stream.of(
                sm("html-200.html", "text/html; charset=utf-8", 1, "answered an HTML page instead of CSV"),
                sm("empty-200.csv", "text/csv; charset=utf-8", 1, "answered an empty body"),
                sm("json-for-csv.csv", "text/csv; charset=utf-8", 1, "answered JSON instead of CSV"),
                sm("no-id-column.csv", "text/csv; charset=utf-8", 1, "answered a CSV without an 'Id' column"),
                sm("non-numeric-id.csv", "text/csv; charset=utf-8", 1, "record 3 has a non-numeric Id 'ABC-1002'"),
                sm("decreasing-id.csv", "text/csv; charset=utf-8", 1, "has Id 1003 after 1005; ids must ascend"),
                sm("truncated-final-row.csv", "text/csv; charset=utf-8", 1, "is cut short"),
                sm("unterminated-quote.csv", "text/csv; charset=utf-8", 1, "unterminated quote"),
                sm("invalid-utf8.csv", "text/csv; charset=utf-8", 1, "is not valid UTF-8"),
                sm("empty-200.csv", "text/csv; charset=utf-8", 2, "page 2 answered an empty body"),
                new Case("header-changes-on-page-2", "serviceminder", "getdownload", 2, 200, "text/csv; charset=utf-8",
                        ("Id,FullName,Email\r\n900000001,Zoe Smith," + MARKER + "@example.com\r\n")
                                .getBytes(StandardCharsets.UTF_8), 1, "has other columns than the run's earlier pages"),
                new Case("more-than-25000-rows", "serviceminder", "getdownload", 1, 200, "text/csv; charset=utf-8",
                        rows(25_001), 0, "holds more than 25000 rows"),
                sm("unknown-download-id.json", "application/json; charset=utf-8", 1, "was not found"),
                cm("not-an-array.json", "report", 1, 200, "answered a JSON object that is neither the report's data nor a jobId"),
                cm("success-false.json", "report", 1, 200, "Error generating report"),
                cm("expired-job-id.json", "poll", 1, 400, "expired or unknown"),
                cm("token-without-access-token.json", "token", 1, 200, "answered without an access_token"));
    }

    private static Case sm(String fixture, String contentType, long from, String expected) throws IOException {
        return new Case(fixture + (from > 1 ? " on page " + from : ""), "serviceminder", "getdownload", from, 200,
                contentType, fixture(fixture), (int) from - 1, expected);
    }

    private static Case cm(String fixture, String call, long from, int status, String expected) throws IOException {
        return new Case(fixture, "crewmojo", call, from, status, "application/json", fixture(fixture), 0, expected);
    }

    private static byte[] fixture(String name) throws IOException {
        try (var in = BadInputCorpusTest.class.getResourceAsStream("/corpus/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] rows(int count) {
        StringBuilder csv = new StringBuilder("Id,FirstName,LastName\r\n");
        for (int i = 0; i < count; i++) {
            csv.append(1000 + i).append(",Zoe,").append(MARKER).append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void givenAMalformedAnswer_thenTheJobFailsClearlyWithNothingCommittedForItAndItsCheckpointUnmoved(Case bad)
            throws Exception {
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(29, Duration.ofMillis(20), 100, 0);
        serviceminder.addOrganisation(new Organisation("zeta", KEY, 61, Set.of(3)));
        serviceminder.rows("zeta", "contacts", 30_001);
        CrewmojoSandbox crewmojo = new CrewmojoSandbox(29, Duration.ofMinutes(30), Duration.ofMinutes(10), 50)
                .firstDate(LocalDate.now().minusDays(100)).addClient(CLIENT_ID, SECRET);
        if (bad.call().equals("poll")) {
            crewmojo.slow("employee.list", Duration.ofSeconds(30));
        }
        if (bad.vendor().equals("serviceminder")) {
            serviceminder.serve(bad.call(), bad.from(), bad.status(), bad.contentType(), bad.body());
        } else {
            crewmojo.serve(bad.call(), bad.from(), bad.status(), bad.contentType(), bad.body());
        }
        String jobId = bad.vendor().equals("serviceminder") ? "serviceminder/zeta/contacts" : "crewmojo/hr/employee.list";
        try (SandboxServer sandbox = SandboxServer.start(0, serviceminder, crewmojo)) {
            AppRun app = new AppRun(sandbox, dir).set("retry.max-redeliveries", "2");
            if (bad.vendor().equals("serviceminder")) {
                app.organisation("zeta", KEY, 3, "contacts");
            } else {
                app.client("hr", CLIENT_ID, SECRET, "employee.list")
                        .set("crewmojo.client.hr.employee.list.content-type", "json");
            }

            AppRun.Result result = app.run();

            String log = result.logText();
            assertEquals(1, result.summary().failures(), log);
            assertTrue(log.contains(bad.expected()), "the log says what came back: " + bad.expected() + "\n" + log);
            assertFalse(log.contains(MARKER), "the log quotes no body");
            assertFalse(log.contains(KEY) || log.contains(SECRET), "no secret in the log");
            List<Path> files = app.files(jobId);
            assertEquals(bad.goodPages(), files.size(), "only the good pages are committed, no done marker: " + files);
            assertTrue(files.stream().noneMatch(f -> f.endsWith("_SUCCESS")));
            Path checkpoint = dir.resolve("state/" + jobId + ".json");
            JsonNode run = Files.exists(checkpoint) ? json.readTree(checkpoint.toFile()).path("run") : null;
            if (run == null || run.isNull() || run.isMissingNode()) {
                assertEquals(0, bad.goodPages(), "a checkpoint without a run has no page committed");
            } else {
                assertEquals(bad.goodPages(), run.path("pages").asInt(), "the checkpoint stays at the last good page");
            }
            assertNull(json.readTree(checkpointOrEmpty(checkpoint)).get("watermark") == null ? null
                    : json.readTree(checkpointOrEmpty(checkpoint)).get("watermark").textValue(), "no watermark moved");
        }
    }

    /**
     * What real servers send that the vendor's docs do not show, with the data still exact: each fixture answers
     * every getdownload, and the run delivers its two rows, its header read as the vendor meant it.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"no-final-line-break.csv", "byte-order-mark.csv",
            "lf-line-ends.csv", "id-column-in-upper-case.csv"})
    void givenAnAnswerARealServerSends_thenThePageIsAcceptedRowExact(String fixture) throws Exception {
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(29, Duration.ofMillis(20), 100, 0);
        serviceminder.addOrganisation(new Organisation("zeta", KEY, 61, Set.of(3)));
        byte[] body;
        try (var in = BadInputCorpusTest.class.getResourceAsStream("/corpus-accepted/" + fixture)) {
            body = in.readAllBytes();
        }
        serviceminder.serve("getdownload", 1, 200, "text/csv; charset=utf-8", body);
        try (SandboxServer sandbox = SandboxServer.start(0, serviceminder)) {
            AppRun app = new AppRun(sandbox, dir).organisation("zeta", KEY, 3, "contacts")
                    .set("serviceminder.organisation.zeta.transform", "jsonl");

            AppRun.Result result = app.run();

            assertEquals(0, result.summary().failures(), result::logText);
            Path run = app.out().resolve("serviceminder/zeta/contacts").resolve(app.onlyRun("serviceminder/zeta/contacts"));
            List<String> lines = Files.readAllLines(run.resolve("page-00001.jsonl"));
            assertEquals(2, lines.size(), String.join("\n", lines));
            JsonNode first = json.readTree(lines.get(0));
            JsonNode second = json.readTree(lines.get(1));
            // the first column's name as the header says it, without a byte-order mark
            String idColumn = fixture.startsWith("id-column") ? "ID" : "Id";
            assertEquals("1001", first.path(idColumn).asText(), lines.get(0));
            assertEquals("Zoe", first.path("FirstName").asText());
            assertEquals(fixture.startsWith("no-final") ? "Garcia, Jr." : "Garcia", second.path("LastName").asText());
            assertTrue(Files.exists(run.resolve("_SUCCESS")));
        }
    }

    /**
     * A token endpoint that answers a lifetime shorter than crewmojo.token-refresh-margin (the vendor's is 30 minutes,
     * a margin is a setting): the margin is capped at a quarter of the lifetime, so one token serves every report
     * instead of each call fetching one (each invalidating the last).
     */
    @Test
    void givenTokensThatLiveShorterThanTheRefreshMargin_whenThreeReportsRun_thenOneTokenServesThemAll() throws Exception {
        CrewmojoSandbox crewmojo = new CrewmojoSandbox(29, Duration.ofSeconds(60), Duration.ofMinutes(10), 50)
                .firstDate(LocalDate.now().minusDays(100)).addClient(CLIENT_ID, SECRET);
        try (SandboxServer sandbox = SandboxServer.start(0, new ServiceminderSandbox(29, Duration.ZERO, 100, 0),
                crewmojo)) {
            AppRun app = new AppRun(sandbox, dir).client("hr", CLIENT_ID, SECRET,
                    "employee.list, goals.progress, oneonone.summary").set("crewmojo.token-refresh-margin", "2h")
                    .set("report-pipes.parallel-jobs", "1");

            AppRun.Result result = app.run();

            assertEquals(0, result.summary().failures(), result::logText);
            assertEquals(1, crewmojo.count("tokens"), "one token for the three reports");
            assertEquals(0, crewmojo.count("401"), "no report refused with an invalidated token");
        }
    }

    private static String checkpointOrEmpty(Path checkpoint) throws IOException {
        return Files.exists(checkpoint) ? Files.readString(checkpoint) : "{}";
    }
}
