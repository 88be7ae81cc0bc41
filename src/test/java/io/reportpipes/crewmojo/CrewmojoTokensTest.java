package io.reportpipes.crewmojo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The token cache against the sandbox, which invalidates a client's older tokens as Crewmojo does. */
class CrewmojoTokensTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer server;

    @BeforeEach
    void start() throws Exception {
        crewmojo = new CrewmojoSandbox(3, Duration.ofSeconds(1), Duration.ofMinutes(10), 20);
        crewmojo.addClient("client-a", "secret-a");
        server = sandboxes.serve(new ServiceminderSandbox(1, Duration.ZERO, 100, 0), crewmojo);
    }


    /** The vendor's token endpoint, called as a client would (the routes call it through camel-http). */
    private static final CrewmojoClient CLIENT_A = new CrewmojoClient("a", "client-a", "secret-a", "secret");

    private CrewmojoTokens.Token fetch(CrewmojoClient client) throws Exception {
        String clientId = client.clientId();
        String secret = client.clientSecret();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + CrewmojoSandbox.TOKEN_PATH)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                        + "&client_secret=" + secret)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(answer.body());
        return CrewmojoTokens.Token.issued(body.get("access_token").asText(),
                Duration.ofSeconds(body.get("expires_in").asLong()));
    }

    private int report(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + CrewmojoSandbox.REPORT_PATH
                        + "employee.list")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void givenEightJobsOfOneClientAtOnce_whenEachTakesAToken_thenOneIsFetchedAndNoneIsRefused() throws Exception {
        LocalTokens tokens = new LocalTokens(this::fetch, Duration.ofMillis(100));
        ExecutorService jobs = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> report(tokens.token(CLIENT_A)));
            }
            for (Future<Integer> status : jobs.invokeAll(calls)) {
                assertEquals(200, status.get());
            }
        } finally {
            jobs.shutdownNow();
        }
        assertEquals(1, crewmojo.count("tokens"));
        assertEquals(0, crewmojo.count("401"));
    }

    @Test
    void givenATokenCloseToItsExpiry_whenTaken_thenItIsReplacedFirst() throws Exception {
        // the sandbox's tokens live 1 s here: a 200 ms margin (under a quarter of that) replaces one after 800 ms
        LocalTokens tokens = new LocalTokens(this::fetch, Duration.ofMillis(200));
        String first = tokens.token(CLIENT_A);
        Thread.sleep(850);

        String second = tokens.token(CLIENT_A);

        assertNotEquals(first, second);
        assertEquals(200, report(second));
        assertEquals(2, tokens.fetches());
    }

    @Test
    void givenARejectedToken_whenAnotherJobAlreadyReplacedIt_thenNoSecondFetch() throws Exception {
        LocalTokens tokens = new LocalTokens(this::fetch, Duration.ofMillis(100));
        String stale = tokens.token(CLIENT_A);
        crewmojo.inject("report", CrewmojoSandbox.Fault.INVALIDATE_TOKEN, 1);
        assertEquals(401, report(stale));

        // job 1 reports the 401 and takes a fresh token; job 2 reports the same stale token later
        tokens.rejected(CLIENT_A, stale);
        String fresh = tokens.token(CLIENT_A);
        tokens.rejected(CLIENT_A, stale);

        assertEquals(fresh, tokens.token(CLIENT_A));
        assertEquals(200, report(fresh));
        assertEquals(2, crewmojo.count("tokens"));
    }

    @Test
    void givenARefreshMarginLongerThanATokenLives_whenJobsAskAgain_thenTheTokenIsReusedNotFetchedPerCall() throws Exception {
        // crewmojo.token-refresh-margin = 2h against tokens that live 30 minutes (the vendor's expires_in)
        LocalTokens tokens = new LocalTokens(
                client -> CrewmojoTokens.Token.issued("token-" + System.nanoTime(), Duration.ofMinutes(30)),
                Duration.ofHours(2));

        String first = tokens.token(CLIENT_A);
        String second = tokens.token(CLIENT_A);

        assertEquals(first, second);
        assertEquals(1, tokens.fetches(), "a margin is bounded by a quarter of the token's lifetime");
    }
}
