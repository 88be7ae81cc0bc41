package io.reportpipes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Crewmojo sandbox over HTTP, as a client of the vendor sees it. */
class CrewmojoSandboxTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer server;

    @BeforeEach
    void start() throws Exception {
        crewmojo = new CrewmojoSandbox(5, Duration.ofMinutes(30), Duration.ofMillis(400), 200);
        crewmojo.addClient("client-a", "secret-a");
        server = sandboxes.serve(new ServiceminderSandbox(1, Duration.ZERO, 100, 0), crewmojo);
    }


    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    }

    private String token() throws Exception {
        HttpResponse<String> answer = send(at(CrewmojoSandbox.TOKEN_PATH)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=client-a&client_secret=secret-a")));
        assertEquals(200, answer.statusCode());
        JsonNode body = json.readTree(answer.body());
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(1800, body.get("expires_in").asInt());
        return body.get("access_token").asText();
    }

    private HttpResponse<String> report(String token, String reportId, String body) throws Exception {
        return send(at(CrewmojoSandbox.REPORT_PATH + reportId).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> poll(String token, String reportId, String jobId) throws Exception {
        return send(at(CrewmojoSandbox.REPORT_PATH + reportId + "?jobId=" + jobId)
                .header("Authorization", "Bearer " + token).GET());
    }

    @Test
    void givenATokenFromJsonOrForm_whenANewOneIsTaken_thenTheOlderOneIsRefused() throws Exception {
        String first = token();
        HttpResponse<String> jsonToken = send(at(CrewmojoSandbox.TOKEN_PATH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"grant_type\":\"client_credentials\",\"client_id\":\"client-a\",\"client_secret\":\"secret-a\"}")));
        String second = json.readTree(jsonToken.body()).get("access_token").asText();

        HttpResponse<String> old = report(first, "employee.list", "{}");
        assertEquals(401, old.statusCode());
        assertEquals("Unauthorized", json.readTree(old.body()).get("errorMessage").asText());
        assertEquals("false", json.readTree(old.body()).get("success").asText());
        assertEquals(200, report(second, "employee.list", "{}").statusCode());
        assertEquals(1, crewmojo.count("401"));
    }

    @Test
    void givenBadCredentials_whenAskingForAToken_then401() throws Exception {
        HttpResponse<String> answer = send(at(CrewmojoSandbox.TOKEN_PATH)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=client-a&client_secret=wrong")));
        assertEquals(401, answer.statusCode());
    }

    @Test
    void givenAWindow_whenRequestedAsCsvOrJson_thenTheSameRowsInThatWindow() throws Exception {
        String token = token();
        HttpResponse<String> csv = report(token, "oneonone.summary", "{\"startDate\":20240301,\"endDate\":20240630}");
        HttpResponse<String> array = report(token, "oneonone.summary",
                "{\"startDate\":20240301,\"endDate\":20240630,\"contentType\":\"json\"}");

        assertEquals("text/csv", csv.headers().firstValue("Content-Type").orElse(""));
        List<List<String>> expected = crewmojo.expectedRecords("oneonone.summary", 20240301, 20240630);
        assertTrue(expected.size() > 10 && expected.size() < 100, "rows in the window: " + expected.size());
        CsvTable table = CsvTable.parse(csv.body());
        assertEquals(crewmojo.columns("oneonone.summary"), table.header());
        for (String date : table.column("Date")) {
            assertTrue(date.compareTo("20240301") >= 0 && date.compareTo("20240630") <= 0, date);
        }
        assertEquals(expected, table.rows());
        List<List<String>> fromJson = new ArrayList<>();
        for (JsonNode row : json.readTree(array.body())) {
            List<String> values = new ArrayList<>();
            row.elements().forEachRemaining(v -> values.add(v.asText()));
            fromJson.add(values);
        }
        assertEquals(expected, fromJson);
    }

    @Test
    void givenAnInvalidWindow_whenRequested_then400InvalidDataReceived() throws Exception {
        String token = token();
        for (String body : List.of("{\"startDate\":20240301}", "{\"startDate\":20241301,\"endDate\":20241302}",
                "{\"startDate\":20240630,\"endDate\":20240301}", "{\"startDate\":\"2024-03-01\",\"endDate\":20240301}",
                "{\"contentType\":\"xml\"}")) {
            HttpResponse<String> answer = report(token, "oneonone.summary", body);
            assertEquals(400, answer.statusCode(), body);
            assertEquals("Invalid data received", json.readTree(answer.body()).get("errorMessage").asText());
        }
    }

    @Test
    void givenASlowReport_whenPolled_thenTheSameJobIdUntilTheDataThenExpiry() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofMillis(150));
        String token = token();
        JsonNode job = json.readTree(report(token, "goals.progress", "{}").body());
        assertEquals("true", job.get("success").asText());
        String jobId = job.get("jobId").asText();

        assertEquals(jobId, json.readTree(poll(token, "goals.progress", jobId).body()).get("jobId").asText());
        Thread.sleep(200);
        HttpResponse<String> data = poll(token, "goals.progress", jobId);
        assertEquals("text/csv", data.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200 + 1, data.body().lines().count(), "header and 200 rows");
        Thread.sleep(300);
        assertEquals(400, poll(token, "goals.progress", jobId).statusCode(), "the jobId expired");
    }

    @Test
    void givenJobIdTrue_whenRequested_thenAJobIdEvenForAQuickReport() throws Exception {
        crewmojo.forcedJobDuration(Duration.ofMillis(10));
        String token = token();

        JsonNode job = json.readTree(report(token, "employee.list", "{\"jobId\":true,\"contentType\":\"json\"}").body());

        Thread.sleep(30);
        JsonNode data = json.readTree(poll(token, "employee.list", job.get("jobId").asText()).body());
        assertEquals(200, data.size());
        assertEquals("emp1", data.get(0).get("Employee Code").asText());
    }

    @Test
    void givenATokenInvalidatedMidRun_whenRequested_then401UntilANewToken() throws Exception {
        String token = token();
        crewmojo.inject("report", CrewmojoSandbox.Fault.INVALIDATE_TOKEN, 1);

        assertEquals(401, report(token, "employee.list", "{}").statusCode());
        assertEquals(401, report(token, "employee.list", "{}").statusCode(), "the old token stays invalid");
        assertEquals(200, report(token(), "employee.list", "{}").statusCode());
    }

    @Test
    void givenAnInjected500_whenRequested_thenTheVendorsErrorBody() throws Exception {
        String token = token();
        crewmojo.inject("report", CrewmojoSandbox.Fault.HTTP_500, 1);

        HttpResponse<String> answer = report(token, "employee.list", "{}");

        assertEquals(500, answer.statusCode());
        assertEquals("Error generating report", json.readTree(answer.body()).get("errorMessage").asText());
        assertEquals(200, report(token, "employee.list", "{}").statusCode());
    }
}
