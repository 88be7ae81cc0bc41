package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run with every vendor and every sink, a refused key, a token invalidated mid-run and a failing call, then
 * every surface a secret could leak to searched for every secret the run knew: the log (exception messages and
 * stack traces included), file names and checkpoints, S3 keys and metadata, JMS headers and properties, the
 * status JSON and page, health and metrics.
 */
class SecretsIT {

    private static final String FILES_KEY = "test-key-files-60411";
    private static final String S3_KEY = "test-key-s3org-60412";
    private static final String JMS_KEY = "test-key-jmsorg-60413";
    private static final String REFUSED_KEY = "test-key-refused-60414";
    private static final String CLIENT_SECRET = "test-client-secret-60415";
    private static final String S3_SECRET = "test-secret";
    private static final String BROKER_PASSWORD = "test-broker-password-60416";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;

    @Test
    void givenARunWithEveryVendorAndSink_thenNoSecretAppearsAnywhereItCouldBeSeen() throws Exception {
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(31, Duration.ofMillis(30), 100, 0);
        for (String[] org : new String[][]{{"files", FILES_KEY}, {"s3org", S3_KEY}, {"jmsorg", JMS_KEY}}) {
            serviceminder.addOrganisation(new Organisation(org[0], org[1], 70, Set.of(5)));
            serviceminder.rows(org[0], "contacts", 26_000);
        }
        serviceminder.inject("getdownload", ServiceminderSandbox.Fault.HTTP_500, 1);
        CrewmojoSandbox crewmojo = new CrewmojoSandbox(31, Duration.ofMinutes(30), Duration.ofMinutes(10), 200)
                .firstDate(LocalDate.now().minusDays(200)).addClient("client-secrets", CLIENT_SECRET);
        // a token that stops working mid-run: refreshed, and the refused one named nowhere
        crewmojo.inject("report", CrewmojoSandbox.Fault.INVALIDATE_TOKEN, 1);
        int port = S3MockServer.freePort();
        List<Message> messages = new ArrayList<>();
        AtomicReference<Map<String, String>> served = new AtomicReference<>();
        AppRun app;
        AppRun.Result result;
        try (SandboxServer sandbox = SandboxServer.start(0, serviceminder, crewmojo);
             S3MockServer s3 = S3MockServer.start();
             LocalArtemis broker = new LocalArtemis(dir.resolve("broker"), S3MockServer.freePort())) {
            app = new AppRun(sandbox, dir)
                    .organisation("files", FILES_KEY, 5, "contacts")
                    .organisation("s3org", S3_KEY, 5, "contacts")
                    .organisation("jmsorg", JMS_KEY, 5, "contacts")
                    .organisation("refused", REFUSED_KEY, 5, "contacts")
                    .set("serviceminder.organisation.s3org.sink", "s3")
                    .set("sink.s3.uri", s3.sinkUri())
                    .set("serviceminder.organisation.jmsorg.sink", "jms")
                    .set("sink.jms.broker-url", broker.url())
                    .set("sink.jms.user", "report-pipes")
                    .set("sink.jms.password", BROKER_PASSWORD)
                    .client("hr", "client-secrets", CLIENT_SECRET, "employee.list, oneonone.summary")
                    .set("report-pipes.mode", "daemon")
                    .set("report-pipes.run-at-start", "true")
                    .set("report-pipes.ops.port", Integer.toString(port))
                    .set("report-pipes.ops.host", "127.0.0.1")
                    .set("report-pipes.schedule", "0 0 3 1 1 ?");

            result = app.runDaemonUntil(() -> {
                JsonNode status = status(port);
                if (status == null || status.size() != 6 || !allDone(status)) {
                    return false;
                }
                Map<String, String> surfaces = new LinkedHashMap<>();
                for (String path : List.of("/status", "/", "/observe/metrics", "/observe/health?data=true",
                        "/observe/health/ready?data=true", "/observe/health/live?data=true")) {
                    surfaces.put("GET " + path, get(port, path));
                }
                served.set(surfaces);
                return true;
            });
            assertTrue(served.get() != null, "every job ran and the server answered:\n" + result.logText());

            Map<String, String> surfaces = new LinkedHashMap<>(served.get());
            surfaces.put("the log", result.logText());
            surfaces.put("file names and checkpoints", files(dir.resolve("out")) + files(dir.resolve("state"))
                    + contents(dir.resolve("state")) + files(dir.resolve("work")));
            StringBuilder objects = new StringBuilder();
            try (S3Client client = s3.client()) {
                for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(S3MockServer.BUCKET)).contents()) {
                    objects.append(object.key()).append(client.headObject(b -> b.bucket(S3MockServer.BUCKET)
                            .key(object.key())).metadata()).append('\n');
                }
            }
            assertTrue(objects.toString().contains("serviceminder/s3org/contacts/"), objects.toString());
            surfaces.put("S3 keys and metadata", objects.toString());
            StringBuilder headers = new StringBuilder();
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
                 JMSContext context = factory.createContext();
                 JMSConsumer consumer = context.createConsumer(context.createQueue("reports"))) {
                for (Message message = consumer.receive(2000); message != null; message = consumer.receive(300)) {
                    messages.add(message);
                    headers.append(message.getJMSMessageID()).append(message.getJMSCorrelationID())
                            .append(message.getJMSType());
                    for (Object name : Collections.list(message.getPropertyNames())) {
                        headers.append(name).append('=').append(message.getObjectProperty((String) name)).append('\n');
                    }
                }
            }
            assertEquals(3, messages.size(), "the jms organisation's two pages and its done marker");
            surfaces.put("JMS headers and properties", headers.toString());

            List<String> secrets = new ArrayList<>(List.of(FILES_KEY, S3_KEY, JMS_KEY, REFUSED_KEY, CLIENT_SECRET,
                    S3_SECRET, BROKER_PASSWORD));
            List<String> tokens = crewmojo.issuedTokens();
            assertTrue(tokens.size() >= 2, "the invalidated token was replaced: " + tokens.size() + " issued");
            secrets.addAll(tokens);
            List<String> leaks = new ArrayList<>();
            surfaces.forEach((surface, text) -> {
                for (int i = 0; i < secrets.size(); i++) {
                    if (text.contains(secrets.get(i))) {
                        // name the secret by its place in the list, never by its value
                        leaks.add(surface + " holds secret #" + i);
                    }
                }
            });
            assertEquals(List.of(), leaks);
        }
        String log = result.logText();
        assertTrue(log.contains("serviceminder/refused/contacts"), "the refused key's job is in the log");
        assertEquals(1, result.summary().failures(), "only the refused organisation's job failed:\n" + log);
        assertFalse(log.isBlank());
    }

    private static boolean allDone(JsonNode status) {
        for (JsonNode job : status) {
            String state = job.path("state").asText();
            if (!state.equals("ok") && !state.equals("failed")) {
                return false;
            }
        }
        return true;
    }

    private JsonNode status(int port) {
        try {
            return json.readTree(get(port, "/status"));
        } catch (Exception e) {
            return null;
        }
    }

    private String get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String files(Path root) throws Exception {
        if (!Files.exists(root)) {
            return "";
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return String.join("\n", walk.map(Path::toString).toList()) + "\n";
        }
    }

    private static String contents(Path root) throws Exception {
        if (!Files.exists(root)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        return text.toString();
    }
}
