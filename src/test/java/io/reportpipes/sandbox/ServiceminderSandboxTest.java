package io.reportpipes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sandbox over HTTP, as a client of the vendor sees it. */
class ServiceminderSandboxTest {

    private static final String KEY = "key-1";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ServiceminderSandbox serviceminder;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer server;

    @BeforeEach
    void start() throws Exception {
        serviceminder = new ServiceminderSandbox(3, Duration.ZERO, 100, 100);
        serviceminder.addOrganisation(new Organisation("org", KEY, 77, Set.of(10)));
        server = sandboxes.serve(serviceminder);
    }


    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(String endpoint, String body) throws Exception {
        HttpResponse<String> response = post("/api/download/" + endpoint, body);
        assertEquals(200, response.statusCode(), "errors come as HTTP 200");
        return json.readTree(response.body());
    }

    private String start(String kind, long rowId) throws Exception {
        JsonNode answer = call("startdownload", "{\"ApiKey\":\"" + KEY + "\",\"Kind\":\"" + kind
                + "\",\"UserId\":10,\"RowId\":" + rowId + "}");
        assertEquals(0, answer.get("ResultCode").asInt(), answer.toString());
        return answer.get("DownloadId").asText();
    }

    private List<CSVRecord> page(String downloadId) throws Exception {
        HttpResponse<String> response = post("/api/download/getdownload",
                "{\"ApiKey\":\"" + KEY + "\",\"DownloadId\":\"" + downloadId + "\"}");
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        return CsvTable.parse(response.body()).records();
    }

    private String pageText(String kind, long rowId) throws Exception {
        return post("/api/download/getdownload", "{\"ApiKey\":\"" + KEY + "\",\"DownloadId\":\"" + start(kind, rowId)
                + "\"}").body();
    }

    @Test
    void givenAPreparedKind_whenPagesAreServed_thenTheyAreTheGeneratedPagesByteForByte() throws Exception {
        serviceminder.rows("org", "contacts", 60_000).rows("org", "invoices", 30_000);
        List<String> generated = List.of(pageText("contacts", 0), pageText("contacts", 91_234),
                pageText("contacts", 170_000), pageText("invoices", 0));

        serviceminder.prepare("org", "contacts").prepare("org", "invoices");

        assertEquals(generated, List.of(pageText("contacts", 0), pageText("contacts", 91_234),
                pageText("contacts", 170_000), pageText("invoices", 0)));
        assertEquals(25_000, generated.get(0).lines().filter(line -> line.matches("^\\d+,.*")).count(), "a full page");
        // a request with other settings is not the prepared one: generated as it streams, its own rows
        String withoutEmails = post("/api/download/getdownload", "{\"ApiKey\":\"" + KEY + "\",\"DownloadId\":\""
                + call("startdownload", "{\"ApiKey\":\"" + KEY + "\",\"Kind\":\"contacts\",\"UserId\":10,"
                + "\"Contacts\":{\"WithEmails\":false,\"WithoutEmails\":true}}").get("DownloadId").asText() + "\"}").body();
        assertFalse(withoutEmails.startsWith(generated.get(0).substring(0, 2000)));
    }

    @Test
    void givenAnUnknownPath_whenCalled_thenAnEmpty200() throws Exception {
        HttpResponse<String> response = post("/api/download/nothing", "{}");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void givenABadKeyOrNoUserIdOrAnUnknownKind_whenStarting_thenAResultCodeAndMessage() throws Exception {
        JsonNode badKey = call("startdownload", "{\"ApiKey\":\"nope\",\"Kind\":\"contacts\",\"UserId\":10}");
        assertEquals("Invalid API key.", badKey.get("Message").asText());
        JsonNode noUser = call("startdownload", "{\"ApiKey\":\"" + KEY + "\",\"Kind\":\"contacts\"}");
        assertEquals("UserId is required.", noUser.get("Message").asText());
        JsonNode badKind = call("startdownload", "{\"ApiKey\":\"" + KEY + "\",\"Kind\":\"contact\",\"UserId\":10}");
        assertTrue(badKind.get("Message").asText().startsWith("Unknown Kind 'contact'"));
        JsonNode badSetting = call("startdownload", "{\"ApiKey\":\"" + KEY
                + "\",\"Kind\":\"contacts\",\"UserId\":10,\"Contacts\":{\"WithEmail\":true}}");
        assertTrue(badSetting.get("Message").asText().startsWith("Unknown setting Contacts.WithEmail"));
        for (JsonNode answer : List.of(badKey, noUser, badKind, badSetting)) {
            assertTrue(answer.get("ResultCode").asInt() != 0);
        }
    }

    @Test
    void given100QueuedDownloads_whenStartingThe101st_thenItIsRefusedUntilOneIsFetched() throws Exception {
        String first = start("contacts", 0);
        for (int i = 1; i < 100; i++) {
            start("contacts", 0);
        }
        String body = "{\"ApiKey\":\"" + KEY + "\",\"Kind\":\"contacts\",\"UserId\":10}";
        JsonNode refused = call("startdownload", body);
        assertEquals(ServiceminderSandbox.QUEUE_FULL, refused.get("ResultCode").asInt());
        assertTrue(refused.get("Message").asText().contains("maximum of 100 queued downloads"));

        page(first);

        assertEquals(0, call("startdownload", body).get("ResultCode").asInt());
        assertEquals(100, serviceminder.maxQueued("org"));
    }

    @Test
    void givenADownloadNeverFetched_whenCounting_thenItIsLeftOutOfTheMostQueuedOfTheFetchedOnes() throws Exception {
        String first = start("contacts", 0);
        String second = start("contacts", 0);
        start("contacts", 0); // a client that died before it kept this DownloadId
        page(first);
        page(second);
        page(second); // fetched again: still one download

        assertEquals(3, serviceminder.maxQueued("org"));
        assertEquals(2, serviceminder.maxQueuedOfFetched("org"));
        assertEquals(1, serviceminder.neverFetched("org"));
    }

    @Test
    void givenAReadinessDelay_whenPolling_thenNotReadyThenReady() throws Exception {
        serviceminder = new ServiceminderSandbox(3, Duration.ofMillis(300), 100, 10);
        serviceminder.addOrganisation(new Organisation("org", KEY, 77, Set.of(10)));
        server = sandboxes.serve(serviceminder);
        String id = start("invoices", 0);
        String status = "{\"ApiKey\":\"" + KEY + "\",\"DownloadId\":\"" + id + "\"}";

        assertFalse(call("downloadstatus", status).get("Ready").asBoolean());
        assertEquals(ServiceminderSandbox.NOT_READY, call("getdownload", status).get("ResultCode").asInt());
        Thread.sleep(350);
        assertTrue(call("downloadstatus", status).get("Ready").asBoolean());
    }

    @Test
    void givenAMillionRowKind_whenPaging_thenPagesHold25000AscendingIdsFromRowId() throws Exception {
        serviceminder.rows("org", "invoicelines", 1_000_000);

        List<CSVRecord> first = page(start("invoicelines", 0));
        long next = Long.parseLong(first.get(first.size() - 1).get("Id")) + 1;
        List<CSVRecord> second = page(start("invoicelines", next));
        // near the end: only what is left (Ids are ~3 apart, so RowId 2,999,000 leaves ~333 rows)
        List<CSVRecord> last = page(start("invoicelines", 2_999_000));

        assertEquals(25_000, first.size());
        assertEquals(25_000, second.size());
        assertTrue(Long.parseLong(second.get(0).get("Id")) >= next);
        long previous = -1;
        for (CSVRecord row : second) {
            long id = Long.parseLong(row.get("Id"));
            assertTrue(id > previous);
            previous = id;
        }
        assertTrue(last.size() > 0 && last.size() < 1_000, "rows left: " + last.size());
    }

    @Test
    void givenEveryKind_whenFetched_thenEachHasItsOwnColumnsWithAnId() throws Exception {
        Set<List<String>> headers = new java.util.HashSet<>();
        for (String kind : List.of("contacts", "appointments", "deposits", "invoices", "invoicelines", "proposals",
                "services", "campaignbudgets", "revenueforecasts", "channelscampaigns")) {
            List<CSVRecord> rows = page(start(kind, 0));
            assertEquals("Id", rows.get(0).getParser().getHeaderNames().get(0));
            assertTrue(rows.size() > 50, kind);
            headers.add(rows.get(0).getParser().getHeaderNames());
        }
        assertEquals(10, headers.size());
    }
}
