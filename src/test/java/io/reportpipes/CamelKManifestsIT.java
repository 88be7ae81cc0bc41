package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.CsvTable;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests under deploy/camel-k/ run, without a cluster: each Pipe file is loaded by Camel Main's routes
 * loader as Camel K would run it (the flow routes and Kamelets from the classpath, the official catalog's sinks),
 * and the Integration's routes are the jar's (Camel Main ignores kind: Integration). The fast loop only: the proof
 * that a manifest runs on Camel K is CamelKRuntimeIT. The properties are the ConfigMap's (application.properties
 * and deploy/camel-k/camel-k.properties) plus each manifest's own; a
 * test overrides only what differs on this machine: the vendor URLs (the sandbox), the sinks' endpoints (S3Mock,
 * a local Artemis, a temp dir), the Secret's values, folders, and a schedule that fires now.
 */
class CamelKManifestsIT {

    private static final Path DEPLOY = Path.of("deploy/camel-k");
    private static final String NORTH_KEY = "test-key-pipe-north-5521";
    private static final String CLIENT_ID = "test-client-pipe";
    private static final String CLIENT_SECRET = "test-secret-pipe-9931";
    private static final String S3_SECRET = "test-s3-secret-key";
    private static ServiceminderSandbox serviceminder;
    private static CrewmojoSandbox crewmojo;
    private static SandboxServer sandbox;
    private static S3MockServer s3;
    private static LocalArtemis broker;
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        serviceminder = new ServiceminderSandbox(17, Duration.ofMillis(50), 100, 0);
        serviceminder.addOrganisation(new Organisation("north", NORTH_KEY, 41, Set.of(4101)));
        serviceminder.rows("north", "contacts", 30_001);
        crewmojo = new CrewmojoSandbox(17, Duration.ofMinutes(30), Duration.ofMinutes(10), 300)
                .firstDate(LocalDate.now().minusDays(400)).addClient(CLIENT_ID, CLIENT_SECRET);
        sandbox = SandboxServer.start(0, serviceminder, crewmojo);
        s3 = S3MockServer.start();
        broker = new LocalArtemis(shared.resolve("broker"), S3MockServer.freePort());
        // the aws-s3-sink Pipe uses the default credentials provider, as a pod with AWS_* from the Secret would
        System.setProperty("aws.accessKeyId", "test-access-key");
        System.setProperty("aws.secretAccessKey", S3_SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        sandbox.close();
        s3.close();
        broker.close();
    }

    @Test
    void givenTheServiceminderToS3Pipe_whenItFires_thenEveryRowIsInTheBucketOnceUnderThePagesKeys() throws Exception {
        Map<String, String> test = environment("serviceminder-download-source");
        test.put("camel.kamelet.aws-s3-sink.uriEndpointOverride", s3.endpoint());
        test.put("camel.kamelet.aws-s3-sink.overrideEndpoint", "true");
        test.put("camel.kamelet.aws-s3-sink.forcePathStyle", "true");
        test.put("camel.kamelet.aws-s3-sink.autoCreateBucket", "true");
        try (S3Client client = s3.client()) {
            String prefix = "serviceminder/north/contacts/";
            List<String> log = runPipe("serviceminder-north-contacts-to-s3.yaml", test,
                    () -> Delivered.keys(client, prefix).stream().anyMatch(k -> k.endsWith("/_SUCCESS")));

            List<String> keys = Delivered.keys(client, prefix);
            assertEquals(3, keys.size(), keys + "\n" + String.join("\n", log));
            String run = keys.get(0).substring(prefix.length()).split("/")[0];
            assertEquals(List.of(prefix + run + "/_SUCCESS", prefix + run + "/page-00001.csv",
                    prefix + run + "/page-00002.csv"), keys);
            List<List<String>> rows = new ArrayList<>();
            for (String key : keys.subList(1, 3)) {
                rows.addAll(CsvTable.parse(client.getObjectAsBytes(b -> b.bucket("report-pipes").key(key))
                        .asString(StandardCharsets.UTF_8)).rows());
            }
            assertEquals(expectedContacts(), rows);
            assertNoSecret(log);
        }
    }

    @Test
    void givenTheServiceminderToFilesPipe_whenItFires_thenThePagesAreDroppedInTheFolderRowExact() throws Exception {
        Path out = dir.resolve("drop");
        Path pipe = rewritten("serviceminder-north-contacts-to-files.yaml", "file:/var/report-pipes/out", "file:" + out);
        Path job = out.resolve("serviceminder/north/contacts");

        List<String> log = runPipe(pipe, environment("serviceminder-download-source"), () -> Delivered.hasDoneMarker(job));

        assertEquals(3, Delivered.files(job).size(), Delivered.files(job) + "\n" + String.join("\n", log));
        assertEquals(expectedContacts(), Delivered.csvPages(job));
        assertNoSecret(log);
    }

    @Test
    void givenTheCrewmojoToArtemisPipe_whenItFires_thenTheReportAndItsDoneMarkerAreOnTheQueueOnce() throws Exception {
        Map<String, String> test = environment("crewmojo-report-source");
        // the manifest's broker URL names the cluster's Artemis service; here it is a local broker
        test.put("camel.kamelet.jms-apache-artemis-sink.brokerURL", broker.url());
        List<String> bodies = new ArrayList<>();

        List<String> log = runPipe("crewmojo-people-employees-to-artemis.yaml", test, () -> {
            bodies.addAll(Delivered.drain(broker.url(), "reports"));
            return bodies.stream().anyMatch(b -> b.contains("\"completedAt\""));
        });

        assertEquals(2, bodies.size(), "the report, then the done marker:\n" + String.join("\n", log));
        assertEquals(expectedEmployees(), employees(json.readTree(bodies.get(0))));
        assertTrue(bodies.get(1).contains("\"rows\":300"), bodies.get(1));
        assertNoSecret(log);
    }

    @Test
    void givenTheCrewmojoToFilesPipe_whenItFires_thenTheReportIsDroppedInTheFolderRowExact() throws Exception {
        Path out = dir.resolve("drop");
        Path pipe = rewritten("crewmojo-people-employees-to-files.yaml", "file:/var/report-pipes/out", "file:" + out);
        Path job = out.resolve("crewmojo/people/employee.list");

        List<String> log = runPipe(pipe, environment("crewmojo-report-source"), () -> Delivered.hasDoneMarker(job));

        List<Path> files = Delivered.files(job);
        assertEquals(2, files.size(), files + "\n" + String.join("\n", log));
        assertEquals(expectedEmployees(), employees(json.readTree(files.get(1).toFile())));
        assertNoSecret(log);
    }

    @Test
    void givenTheIntegration_whenItsRoutesRunWithItsProperties_thenTheConfiguredJobsDeliverRowExact() throws Exception {
        Map<String, Object> integration = manifest(DEPLOY.resolve("integration.yaml"));
        assertEquals("Integration", integration.get("kind"));
        Map<String, Object> spec = map(integration.get("spec"));
        assertEquals("plain-quarkus", map(map(spec.get("traits")).get("camel")).get("runtimeProvider"));
        Path out = dir.resolve("out");

        Map<String, String> test = environment("none");
        // the team's configuration (application.properties' north, whose invoices the sandbox has none of), run as
        // the pod starts
        test.put("serviceminder.organisations", "north");
        test.put("crewmojo.clients", "");
        test.put("report-pipes.run-at-start", "true");
        test.put("sink.files.uri", "file:" + out + "?tempPrefix=.inprogress-&fileExist=Override");
        Path job = out.resolve("serviceminder/north/contacts");

        List<String> log = run(podProperties(spec), test, () -> Stream.of("contacts", "invoices", "appointments")
                .allMatch(kind -> Delivered.hasDoneMarker(out.resolve("serviceminder/north/" + kind))));

        List<List<String>> rows = Delivered.csvPages(job);
        // with application.properties' setting for north's contacts
        ObjectNode payload = new ObjectMapper().createObjectNode().put("Kind", "contacts");
        payload.putObject("Contacts").put("IncludeCustomFields", true);
        assertEquals(serviceminder.expectedRecords("north", payload), rows, String.join("\n", log));
        assertNoSecret(log);
    }

    // --- running a manifest -----------------------------------------------------------------------------------

    /** What differs on this machine from a pod: the sandbox as the vendors, the Secret's values, folders, "now". */
    private Map<String, String> environment(String kamelet) throws Exception {
        Map<String, String> test = new LinkedHashMap<>();
        test.put("serviceminder.base-url", sandbox.baseUrl());
        test.put("crewmojo.base-url", sandbox.baseUrl());
        // the Secret's values (SERVICEMINDER_NORTH_API_KEY, CREWMOJO_PEOPLE_CLIENT_ID/_SECRET in a pod)
        test.put("serviceminder.organisation.north.api-key", NORTH_KEY);
        test.put("crewmojo.client.people.client-id", CLIENT_ID);
        test.put("crewmojo.client.people.client-secret", CLIENT_SECRET);
        // one process here, with file checkpoints: the pods' database and cluster mode are CamelKRuntimeIT's
        test.put("state.store", "file");
        test.put("report-pipes.cluster.enabled", "false");
        test.put("state.file.dir", dir.resolve("state").toString());
        test.put("report-pipes.work-dir", dir.resolve("work").toString());
        test.put("report-pipes.ops.port", Integer.toString(S3MockServer.freePort()));
        test.put("serviceminder.poll.first-interval", "50ms");
        test.put("camel.kamelet." + kamelet + ".schedule", AppRun.cronIn(4));
        return test;
    }

    private List<String> runPipe(String manifest, Map<String, String> test, BooleanSupplier done) throws Exception {
        return runPipe(DEPLOY.resolve(manifest), test, done);
    }

    /**
     * Runs a Pipe file as Camel K would: its traits' properties, the routes they name, and the Pipe itself. Camel
     * K hands a Pipe's properties to the Kamelet as properties; Camel Main's Pipe loader puts them in the
     * endpoint URI, URL-encoded (CAMEL-23594): here a placeholder value is wrapped in RAW() to arrive the same.
     */
    private List<String> runPipe(Path file, Map<String, String> test, BooleanSupplier done) throws Exception {
        Path manifest = dir.resolve("loader-" + file.getFileName());
        Files.writeString(manifest, Files.readString(file).replaceAll(": \"(\\{\\{[^}]+}})\"", ": \"RAW($1)\""));
        Map<String, Object> pipe = manifest(manifest);
        assertEquals("Pipe", pipe.get("kind"));
        Map<String, Object> integration = map(map(pipe.get("spec")).get("integration"));
        Map<String, String> properties = podProperties(integration);
        // the operator mounts the Pipe's flow under /etc/camel/sources and names it (file:/etc/camel/sources/**);
        // here it is the manifest itself
        properties.put("camel.main.routes-include-pattern", "file:" + manifest);
        return run(properties, test, done);
    }

    /** The camel trait's properties (key=value lines) and the jvm trait's -D options, as Camel K passes them. */
    private static Map<String, String> podProperties(Map<String, Object> spec) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Object> traits = map(spec.get("traits"));
        Object camel = map(traits.get("camel")).get("properties");
        for (Object line : camel == null ? List.of() : (List<?>) camel) {
            String text = line.toString();
            properties.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
        }
        Object options = traits.get("jvm") == null ? null : map(traits.get("jvm")).get("options");
        for (Object option : options == null ? List.of() : (List<?>) options) {
            String text = option.toString().substring("-D".length());
            properties.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
        }
        assertFalse(properties.containsKey("camel.main.profile"), "Camel Quarkus ignores camel.main.profile");
        return properties;
    }

    /**
     * Camel Main with the pod's settings: the ConfigMap's files (which share no key), the manifest's properties,
     * then this machine's, then Camel Main's own (camel-main.properties: its server in place of Quarkus'). No io.reportpipes.Application: camel.main.configuration-classes must bind the beans.
     */
    private List<String> run(Map<String, String> manifest, Map<String, String> test, BooleanSupplier done)
            throws Exception {
        AppRun.LogCapture capture = AppRun.LogCapture.attach();
        Main main = new Main();
        // what a pod takes from the jar's defaults unless its manifest says otherwise, where camel-main.properties
        // (read below) sets this machine's value: the routes from the jar, the jobs of application.properties or not
        Properties defaults = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/META-INF/microprofile-config.properties"))) {
            defaults.load(in);
        }
        for (String key : List.of("report-pipes.flow-routes", "report-pipes.configured-jobs")) {
            main.addOverrideProperty(key, manifest.getOrDefault(key, defaults.getProperty(key)));
        }
        // the pod's files first; camel-main.properties for what only Camel Main needs (its HTTP server, Kamelet location)
        main.setPropertyPlaceholderLocations("file:deploy/camel-k/camel-k.properties,file:application.properties,"
                + "file:camel-main.properties," + Application.DEFAULTS);
        manifest.forEach(main::addOverrideProperty);
        test.forEach(main::addOverrideProperty);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<?> run = runner.submit(() -> {
                main.run();
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!done.getAsBoolean() && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(200);
            }
            main.completed();
            run.get(30, TimeUnit.SECONDS);
            return capture.lines();
        } finally {
            runner.shutdownNow();
            capture.detach();
        }
    }

    /** A manifest with one value changed (a path of the pod that is a temp dir here). */
    private Path rewritten(String manifest, String from, String to) throws Exception {
        String text = Files.readString(DEPLOY.resolve(manifest));
        assertTrue(text.contains(from), manifest + " contains " + from);
        Path copy = dir.resolve(manifest);
        Files.writeString(copy, text.replace(from, to));
        return copy;
    }

    // --- reading what arrived ---------------------------------------------------------------------------------

    private static List<List<String>> expectedContacts() throws Exception {
        return serviceminder.expectedRecords("north", new ObjectMapper().createObjectNode().put("Kind", "contacts"));
    }

    private static List<List<String>> expectedEmployees() {
        return crewmojo.expectedRecords("employee.list", null, null);
    }

    private static List<List<String>> employees(JsonNode array) {
        return Delivered.records(array, crewmojo.columns("employee.list"));
    }

    private static void assertNoSecret(List<String> log) {
        String text = String.join("\n", log);
        for (String secret : List.of(NORTH_KEY, CLIENT_SECRET, S3_SECRET)) {
            assertFalse(text.contains(secret), "a secret reached the log");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> manifest(Path file) throws Exception {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }
}
