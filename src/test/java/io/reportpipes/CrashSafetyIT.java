package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.state.Checkpoint;
import io.reportpipes.state.FileCheckpointStore;
import io.reportpipes.state.RunState;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application as its own JVM against the sandbox, killed with SIGKILL at 20 points of a multi-page
 * extraction (start, poll, fetch, mid-write, after the sink's write before the checkpoint) and restarted
 * each time; in the end the sink must hold every row exactly once, with one done marker, and the
 * sandbox must have started no more downloads than the pages needed plus those lost to kills.
 */
class CrashSafetyIT {

    private static final String KEY = "crash-key-5e1d";
    private static final String JOB = "serviceminder/crash/contacts";
    private static final int ROWS = 200_001;
    private static final int PAGES = 9;
    private static final int KILLS = 20;

    /** Where a kill lands. */
    enum KillPoint { START, POLL, FETCH, MID_WRITE, AFTER_WRITE }

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(20261123);
    private ServiceminderSandbox serviceminder;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    @TempDir
    Path dir;
    private FileCheckpointStore checkpoints;

    @BeforeEach
    void startSandbox() throws Exception {
        serviceminder = new ServiceminderSandbox(3, Duration.ofMillis(300), 100, 0);
        serviceminder.addOrganisation(new Organisation("crash", KEY, 77, Set.of(5)));
        serviceminder.rows("crash", "contacts", ROWS);
        sandbox = sandboxes.serve(serviceminder);
        checkpoints = new FileCheckpointStore(dir.resolve("state"));
    }


    @Test
    void givenTheFileSink_whenKilled20Times_thenEveryRowArrivesExactlyOnce() throws Exception {
        Path job = dir.resolve("out").resolve(JOB);
        Outcome outcome = killAndRestart(Map.of("sink.files.uri",
                "file:" + dir.resolve("out") + "?tempPrefix=.inprogress-&fileExist=Override"),
                () -> Delivered.pages(job).size());

        List<Path> runs;
        try (Stream<Path> list = Files.list(job)) {
            runs = list.toList();
        }
        assertEquals(1, runs.size(), "one run, resumed across every restart: " + runs);
        List<String> files;
        try (Stream<Path> list = Files.list(runs.get(0))) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> expectedFiles = new ArrayList<>();
        expectedFiles.add("_SUCCESS");
        for (int page = 1; page <= PAGES; page++) {
            expectedFiles.add(String.format("page-%05d.csv", page));
        }
        assertEquals(expectedFiles, files, "every page once, the done marker, no temporary file left");
        List<List<String>> rows = new ArrayList<>();
        for (int page = 1; page <= PAGES; page++) {
            rows.addAll(CsvTable.parse(Files.readString(runs.get(0).resolve(String.format("page-%05d.csv", page)))).rows());
        }
        outcome.check(rows, json.readTree(runs.get(0).resolve("_SUCCESS").toFile()));
    }

    @Test
    void givenTheS3Sink_whenKilled20Times_thenEveryRowArrivesExactlyOnce() throws Exception {
        try (S3MockServer s3 = S3MockServer.start(); S3Client client = s3.client()) {
            Outcome outcome = killAndRestart(Map.of("sink.default", s3.sinkUri()),
                    () -> Delivered.keys(client, S3MockServer.BUCKET, JOB + "/").size());

            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(S3MockServer.BUCKET).prefix(JOB + "/"))
                    .contents().stream().map(S3Object::key).sorted().toList();
            assertEquals(PAGES + 1, keys.size(), "every page once and the done marker: " + keys);
            String run = keys.get(0).split("/")[3];
            assertTrue(keys.stream().allMatch(k -> k.startsWith(JOB + "/" + run + "/")), "one run: " + keys);
            List<List<String>> rows = new ArrayList<>();
            JsonNode marker = null;
            for (String key : keys) {
                try (ResponseInputStream<GetObjectResponse> object = client.getObject(b -> b.bucket(S3MockServer.BUCKET)
                        .key(key))) {
                    String content = new String(object.readAllBytes(), StandardCharsets.UTF_8);
                    if (key.endsWith("_SUCCESS")) {
                        marker = json.readTree(content);
                    } else {
                        rows.addAll(CsvTable.parse(content).rows());
                    }
                }
            }
            outcome.check(rows, marker);
        }
    }

    @Test
    void givenTheJmsSinkWithRecords_whenKilled20Times_thenEveryRecordArrivesExactlyOnce() throws Exception {
        try (LocalArtemis broker = new LocalArtemis(dir.resolve("broker"), S3MockServer.freePort())) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("sink.default", "jms");
            settings.put("transform.default", "records");
            settings.put("transform.records.batch-size", "5000");
            settings.put("sink.jms.broker-url", broker.url());
            settings.put("sink.jms.queue", "crash");
            Outcome outcome = killAndRestart(settings, () -> (int) broker.waiting("crash"));

            List<List<String>> rows = new ArrayList<>();
            JsonNode marker = null;
            Set<String> keys = new HashSet<>();
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
                 JMSContext context = factory.createContext();
                 JMSConsumer consumer = context.createConsumer(context.createQueue("crash"))) {
                for (Message message = consumer.receive(3000); message != null; message = consumer.receive(500)) {
                    assertTrue(keys.add(message.getStringProperty("ReportPipesKey")), "a message came twice");
                    JsonNode body = json.readTree(((TextMessage) message).getText());
                    if ("true".equals(message.getStringProperty("ReportPipesDone"))) {
                        marker = body;
                        continue;
                    }
                    for (JsonNode record : body) {
                        List<String> values = new ArrayList<>();
                        record.elements().forEachRemaining(value -> values.add(value.asText()));
                        rows.add(values);
                    }
                }
            }
            outcome.check(rows, marker);
        }
    }

    /** What the kills did, and the checks every sink shares. */
    private final class Outcome {
        final Map<KillPoint, Integer> kills = new EnumMap<>(KillPoint.class);
        int restarts;
        /** Restarts that found the run unfinished in its checkpoint, and with a download queued. */
        int resumedRuns;
        int resumedDownloads;

        void check(List<List<String>> rows, JsonNode marker) throws Exception {
            ObjectNode payload = json.createObjectNode();
            payload.put("Kind", "contacts");
            List<List<String>> expected = serviceminder.expectedRecords("crash", payload);
            Set<List<String>> seen = new HashSet<>();
            long duplicates = rows.stream().filter(row -> !seen.add(row)).count();
            long missing = expected.stream().filter(row -> !seen.contains(row)).count();
            long started = serviceminder.calls("startdownload");
            int killed = kills.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("crash test: kills %s (%d in all), restarts %d (%d resumed the run, %d a queued download),"
                            + " rows %d of %d, duplicates %d, missing %d, downloads started %d (pages %d + kills %d = %d"
                            + " at most)%n", kills, killed, restarts, resumedRuns, resumedDownloads, rows.size(),
                    expected.size(), duplicates, missing, started, PAGES, killed, PAGES + killed);
            assertEquals(KILLS, killed, "kills");
            assertTrue(resumedRuns > 0 && resumedDownloads > 0, "restarts went on with the run and its download");
            assertEquals(0, duplicates, "duplicated rows");
            assertEquals(0, missing, "missing rows");
            assertEquals(expected, rows, "every row once, in order");
            assertTrue(marker != null && marker.get("rows").asLong() == ROWS && marker.get("pages").asInt() == PAGES,
                    "the done marker counts the whole run: " + marker);
            assertTrue(started <= PAGES + killed, "downloads started: " + started);
        }
    }

    /**
     * Runs the application until it has been killed {@link #KILLS} times, each time at the next kill point
     * of a cycle through all of them, a random few milliseconds after the event that marks it (a call the
     * sandbox received, a unit that appeared in the sink); then lets the last start finish, which must exit 0.
     *
     * @param delivered how many units (pages, objects, messages) the sink holds now
     */
    private Outcome killAndRestart(Map<String, String> sink, Delivery delivered) throws Exception {
        Outcome outcome = new Outcome();
        KillPoint[] cycle = KillPoint.values();
        int killed = 0;
        while (true) {
            Path log = dir.resolve("app-" + outcome.restarts + ".log");
            Process app = start(sink, log);
            if (killed == KILLS) {
                assertTrue(app.waitFor(120, TimeUnit.SECONDS), "the last run finishes");
                assertEquals(0, app.exitValue(), () -> "the last run succeeds; see " + log);
                return outcome;
            }
            KillPoint point = cycle[killed % cycle.length];
            BooleanSupplier reached = trigger(point, delivered);
            while (!reached.getAsBoolean()) {
                if (!app.isAlive()) {
                    throw new AssertionError("the run ended before kill point " + point + " (kill " + (killed + 1)
                            + "); exit " + app.exitValue() + ", see " + log);
                }
                Thread.sleep(1);
            }
            if (point == KillPoint.MID_WRITE) {
                Thread.sleep(30 + random.nextInt(250));
            } else {
                Thread.sleep(random.nextInt(5));
            }
            app.destroyForcibly().waitFor();
            RunState left = checkpoints.load(JOB).map(Checkpoint::run).orElse(null);
            outcome.resumedRuns += left != null ? 1 : 0;
            outcome.resumedDownloads += left != null && left.handle() != null ? 1 : 0;
            outcome.kills.merge(point, 1, Integer::sum);
            outcome.restarts++;
            killed++;
        }
    }

    /** Holds once the next event of a kill point happened after now. */
    private BooleanSupplier trigger(KillPoint point, Delivery delivered) throws Exception {
        if (point == KillPoint.AFTER_WRITE) {
            int before = delivered.units();
            return () -> {
                try {
                    return delivered.units() > before;
                } catch (Exception e) {
                    return false; // a listing raced a write: look again
                }
            };
        }
        return after(switch (point) {
            case START -> "startdownload";
            case POLL -> "downloadstatus";
            default -> "getdownload";
        });
    }

    /** How many units the sink holds. */
    @FunctionalInterface
    private interface Delivery {
        int units() throws Exception;
    }

    private BooleanSupplier after(String endpoint) {
        long before = serviceminder.calls(endpoint);
        return () -> serviceminder.calls(endpoint) > before;
    }

    /** The application as the command line starts it, in its own JVM, pointed at the test's sandbox and sink. */
    private Process start(Map<String, String> sink, Path log) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sandbox.enabled", "false");
        settings.put("serviceminder.base-url", sandbox.baseUrl());
        settings.put("serviceminder.organisations", "crash");
        settings.put("serviceminder.organisation.crash.api-key", KEY);
        settings.put("serviceminder.organisation.crash.user-id", "5");
        settings.put("serviceminder.organisation.crash.kinds", "contacts");
        settings.put("crewmojo.clients", "");
        settings.put("report-pipes.work-dir", dir.resolve("work").toString());
        settings.put("state.file.dir", dir.resolve("state").toString());
        settings.put("serviceminder.poll.first-interval", "100ms");
        settings.put("serviceminder.poll.max-interval", "100ms");
        settings.put("retry.delay-ms", "50");
        settings.putAll(sink);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath()));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(Application.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in surefire.test.class.path. */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
