package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daemon mode's HTTP server: Prometheus metrics, health, the status JSON and the status page (in real
 * headless Chromium), checked against what the jobs really did.
 */
class OpsIT {

    private static final String KEY = "ops-key-6c2e9a";
    private static final String SECRET = "ops-secret-0b8f27";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceminderSandbox serviceminder;
    private CrewmojoSandbox crewmojo;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    private int port;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        serviceminder = new ServiceminderSandbox(4, Duration.ofMillis(100), 100, 0);
        serviceminder.addOrganisation(new Organisation("ops", KEY, 3, Set.of(8)));
        serviceminder.rows("ops", "contacts", 30_000);
        crewmojo = new CrewmojoSandbox(4, Duration.ofMinutes(30), Duration.ofMinutes(10), 500)
                .addClient("client-ops", SECRET);
        sandbox = sandboxes.serve(serviceminder, crewmojo);
        port = S3MockServer.freePort();
    }


    /** Daemon mode, the server on a free port, every job run once at start, then on a schedule far away. */
    private AppRun daemon() {
        return new AppRun(sandbox, dir).organisation("ops", KEY, 8, "contacts")
                .set("report-pipes.mode", "daemon")
                .set("report-pipes.run-at-start", "true")
                .set("report-pipes.ops.port", Integer.toString(port))
                .set("report-pipes.ops.host", "127.0.0.1")
                .set("report-pipes.schedule", "0 0 3 1 1 ?");
    }

    @Test
    void givenARunInDaemonMode_whenPrometheusScrapes_thenTheJobCountersEqualWhatReachedTheSink() throws Exception {
        AtomicReference<String> metrics = new AtomicReference<>();
        AppRun app = daemon().client("hr", "client-ops", SECRET, "employee.list");

        AppRun.Result result = app.runDaemonUntil(() -> {
            JsonNode status = status();
            if (status == null || !allFinished(status)) {
                return false;
            }
            metrics.set(unchecked(() -> get("/observe/metrics")));
            return true;
        });

        assertTrue(metrics.get() != null, "both jobs finished and were scraped:\n" + result.logText());
        String text = metrics.get();
        assertEquals(30_000, sample(text, "report_pipes_rows_total", "serviceminder/ops/contacts"));
        assertEquals(2, sample(text, "report_pipes_pages_total", "serviceminder/ops/contacts"));
        assertEquals(Files.size(page(app, "serviceminder/ops/contacts", "page-00001.csv"))
                + Files.size(page(app, "serviceminder/ops/contacts", "page-00002.csv")),
                sample(text, "report_pipes_bytes_total", "serviceminder/ops/contacts"));
        assertEquals(500, sample(text, "report_pipes_rows_total", "crewmojo/hr/employee.list"));
        assertEquals(serviceminder.calls("downloadstatus"), sample(text, "report_pipes_polls_total",
                "serviceminder/ops/contacts"), "every status call counted");
        assertEquals(1, sample(text, "report_pipes_token_refreshes_total", "hr"));
        assertTrue(sample(text, "report_pipes_last_success_timestamp_seconds", "serviceminder/ops/contacts") > 1.7e9);
        assertTrue(text.contains("report_pipes_run_duration_seconds_count{job=\"crewmojo/hr/employee.list\","
                + "result=\"success\",vendor=\"crewmojo\"} 1"), text);
        assertTrue(text.contains("report_pipes_downloads_in_flight_max{organisation=\"ops\"} 10.0"), text);
        assertFalse(text.contains(KEY) || text.contains(SECRET), "no secret in a label");
        assertNoSecret(result.logText() + text);
    }

    @Test
    void givenAJmsSink_whenTheBrokerStopsAndReturns_thenReadinessGoesDownAndUpWhileLivenessStaysUp() throws Exception {
        int brokerPort = S3MockServer.freePort();
        AtomicReference<LocalArtemis> broker = new AtomicReference<>(new LocalArtemis(dir.resolve("broker"), brokerPort));
        List<String> seen = new ArrayList<>();
        AtomicReference<String> lastHealth = new AtomicReference<>();
        AppRun app = daemon().set("report-pipes.run-at-start", "false")
                .set("serviceminder.organisation.ops.sink", "jms")
                .set("sink.jms.broker-url", "tcp://127.0.0.1:" + brokerPort);
        try {
            app.runDaemonUntil(() -> {
                int ready = code("/observe/health/ready");
                // not up yet, or still starting (readiness is down until Camel has started, longer on a busy machine)
                if (ready < 0 || seen.isEmpty() && ready != 200) {
                    return false;
                }
                lastHealth.set(unchecked(() -> get("/observe/health/ready?data=true")));
                String state = ready + "/" + code("/observe/health/live");
                if (!seen.isEmpty() && seen.get(seen.size() - 1).equals(state)) {
                    return false;
                }
                seen.add(state);
                try {
                    if (seen.size() == 1) {
                        broker.getAndSet(null).close();
                    } else if (seen.size() == 2) {
                        String health = unchecked(() -> get("/observe/health/ready?data=true"));
                        assertTrue(health.contains("sink.jms"), "the details name the sink: " + health);
                        // a new broker on the same port (its own journal: the stopped one's lock is its own business)
                        broker.set(new LocalArtemis(dir.resolve("broker-again"), brokerPort));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return seen.size() == 3;
            });
        } finally {
            if (broker.get() != null) {
                broker.get().close();
            }
        }

        assertEquals(List.of("200/200", "503/200", "200/200"), seen, () -> "ready, not ready while the broker is down, "
                + "ready; last health: " + lastHealth.get().replaceAll(".*\"dependencies\"", "dependencies"));
    }

    @Test
    void givenAJobThatFails_whenHealthIsRead_thenTheDetailsSaySoAndTheProcessStaysReady() throws Exception {
        AtomicReference<String> health = new AtomicReference<>();
        AppRun app = daemon().set("serviceminder.organisation.ops.api-key", "a-key-serviceminder-refuses");

        app.runDaemonUntil(() -> {
            JsonNode contacts = job(status(), "serviceminder/ops/contacts");
            if (contacts == null || !"failed".equals(contacts.path("state").asText())) {
                return false;
            }
            health.set(code("/observe/health/ready") + " " + unchecked(() -> get("/observe/health/ready?data=true")));
            return true;
        });

        assertTrue(health.get() != null && health.get().startsWith("200 "), "still ready: " + health.get());
        JsonNode jobs = null;
        for (JsonNode check : json.readTree(health.get().substring(4)).path("checks")) {
            jobs = "jobs".equals(check.path("name").asText()) ? check : jobs;
        }
        assertTrue(jobs != null && jobs.path("data").path("serviceminder/ops/contacts").asText()
                .startsWith("1 failed run(s) in a row, last: serviceminder startdownload"), health.get());
    }

    @Test
    void givenOneJobRunningAndOneDone_whenTheStatusIsRead_thenItShowsBoth() throws Exception {
        crewmojo.slow("goals.progress", Duration.ofSeconds(4));
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        AppRun app = daemon().client("hr", "client-ops", SECRET, "goals.progress");

        app.runDaemonUntil(() -> {
            JsonNode status = status();
            JsonNode contacts = job(status, "serviceminder/ops/contacts");
            JsonNode goals = job(status, "crewmojo/hr/goals.progress");
            if (contacts != null && "ok".equals(contacts.path("state").asText())
                    && "running".equals(goals.path("state").asText())) {
                seen.set(status);
                return true;
            }
            return false;
        });

        JsonNode status = seen.get();
        assertTrue(status != null, "a moment with one job done and the other running");
        JsonNode contacts = job(status, "serviceminder/ops/contacts");
        assertEquals("success", contacts.path("lastRun").path("result").asText());
        assertEquals(30_000, contacts.path("lastRun").path("rows").asLong());
        assertEquals(2, contacts.path("lastRun").path("pages").asInt());
        assertEquals("serviceminder", contacts.path("vendor").asText());
        assertEquals("ops", contacts.path("account").asText());
        JsonNode goals = job(status, "crewmojo/hr/goals.progress");
        assertEquals(1, goals.path("running").path("page").asInt());
        assertTrue(goals.path("lastRun").isNull(), "no run finished yet");
        assertFalse(status.toString().contains(KEY) || status.toString().contains(SECRET));
    }

    @Test
    void givenTheStatusPage_whenChromiumRendersIt_thenItShowsTheJobs() throws Exception {
        String chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").filter(p -> Files.isExecutable(
                Path.of(p))).findFirst().orElse(null);
        if (chromium == null) {
            System.err.println("\n*** OpsIT status page SKIPPED: no chromium (.ci/run installs Debian's chromium) ***\n");
        }
        Assumptions.assumeTrue(chromium != null, "no chromium");
        AtomicReference<String> dom = new AtomicReference<>();
        Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        AppRun app = daemon().client("hr", "client-ops", SECRET, "employee.list");

        app.runDaemonUntil(() -> {
            JsonNode status = status();
            if (status == null || !allFinished(status)) {
                return false;
            }
            try {
                dom.set(chromium(chromium, "--dump-dom"));
                chromium(chromium, "--screenshot=" + screenshot, "--window-size=1280,420");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return true;
        });

        String page = dom.get();
        assertTrue(page != null && page.contains("serviceminder/ops/contacts") && page.contains("crewmojo/hr/employee.list"),
                "the rendered page lists the jobs:\n" + page);
        assertTrue(page.contains("success") && page.contains("30000"), "and their last runs:\n" + page);
        assertTrue(Files.size(screenshot) > 1000, "a screenshot for review at " + screenshot);
    }

    /** Renders the status page in headless Chromium and returns what it printed. */
    private String chromium(String binary, String... what) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--virtual-time-budget=3000"));
        command.addAll(List.of(what));
        command.add("http://127.0.0.1:" + port + "/");
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        return out;
    }

    private void assertNoSecret(String text) {
        assertFalse(text.contains(KEY), "the API key appeared");
        assertFalse(text.contains(SECRET), "the client secret appeared");
        for (String token : crewmojo.issuedTokens()) {
            assertFalse(text.contains(token), "a token appeared");
        }
    }

    private static boolean allFinished(JsonNode status) {
        for (JsonNode job : status) {
            if (!"ok".equals(job.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode job(JsonNode status, String id) {
        if (status != null) {
            for (JsonNode job : status) {
                if (id.equals(job.path("job").asText())) {
                    return job;
                }
            }
        }
        return null;
    }

    /** The status JSON, or null while the server is not up. */
    private JsonNode status() {
        try {
            return json.readTree(get("/status"));
        } catch (Exception e) {
            return null;
        }
    }

    private interface Call {
        String call() throws Exception;
    }

    private static String unchecked(Call call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int code(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A sample's value from the Prometheus text format, by metric name and one label value. */
    private static double sample(String text, String name, String labelValue) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*\"" + Pattern.quote(labelValue) + "\"[^}]*} (\\S+)$")
                .matcher(text);
        assertTrue(matcher.find(), name + " for " + labelValue + " in:\n" + text);
        return Double.parseDouble(matcher.group(1));
    }

    private static Path page(AppRun app, String jobId, String name) throws Exception {
        return app.out().resolve(jobId).resolve(app.onlyRun(jobId)).resolve(name);
    }
}
