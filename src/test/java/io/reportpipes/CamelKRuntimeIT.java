package io.reportpipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reportpipes.camelk.CamelKBuild;
import io.reportpipes.camelk.CamelKBuild.Manifests;
import io.reportpipes.camelk.CamelKPod;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.state.LocalPostgres;
import io.reportpipes.testing.CsvTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Camel K manifests on Camel K's own runtime, without a cluster: each is built as the operator builds it for
 * plain-quarkus (a generated Maven project on the pinned Quarkus platform, {@link CamelKBuild}), laid out as the
 * operator and the kubelet lay out a pod ({@link CamelKPod}: the ConfigMap report-pipes-config made of
 * application.properties and deploy/camel-k/camel-k.properties, the Secret's variables, the volume), and started as
 * its own process against the vendor sandbox in a process of its own. What a test changes is what differs on this
 * machine: the vendors' URLs (values in the ConfigMap's files), the Secret's values, the pod's root folder, the ports.
 */
class CamelKRuntimeIT {

    private static final Path DEPLOY = Path.of("deploy/camel-k");
    private static final Path WORK = Path.of("target/camel-k-runtime").toAbsolutePath();
    private static final long SEED = 17;
    private static final String NORTH_KEY = "test-key-pod-north-7310";
    private static final String CLIENT_ID = "test-client-pod";
    private static final String CLIENT_SECRET = "test-secret-pod-4471";
    private static final List<String> NORTH_KINDS = List.of("contacts", "invoices", "appointments");
    private static final List<String> PEOPLE_REPORTS = List.of("oneonone.summary", "employee.list", "goals.progress");
    private static Process sandbox;
    private static int sandboxPort;
    private static LocalPostgres postgres;
    private static int pods;
    private static Path integrationApp;
    /** The Quarkus platform the Integration pins (its runtimeVersion). */
    private static String platformVersion;
    private static List<String> integrationJvmOptions;
    private static List<String> integrationUserProperties;
    /** A Pipe's build by its dependencies: the Pipes with the same ones share an image, as with the operator. */
    private static final Map<String, Path> pipeApps = new java.util.HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void buildAndStartTheSandbox() throws Exception {
        Files.createDirectories(WORK);
        // the pods' state database (camel-k.properties: state.store = jdbc), a database of its own per pod
        postgres = LocalPostgres.start(LocalPostgres.binaries().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server binaries on this machine (.ci/run installs Debian's postgresql package)")));
        publishTheJar();
        sandboxPort = S3MockServer.freePort();
        sandbox = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.reportpipes.sandbox.SandboxMain",
                "--port", Integer.toString(sandboxPort), "--seed", Long.toString(SEED), "--ready-after", "0s",
                "--default-rows", "1000", "--rows", "north/contacts=30001", "--crewmojo-rows", "300",
                "--org", "north:" + NORTH_KEY + ":4101", "--client", CLIENT_ID + ":" + CLIENT_SECRET)
                .redirectErrorStream(true).redirectOutput(WORK.resolve("sandbox.log").toFile()).start();

        Map<String, Object> integration = Manifests.load(DEPLOY.resolve("integration.yaml"));
        assertEquals("Integration", integration.get("kind"));
        Map<String, Object> spec = Manifests.map(integration.get("spec"));
        assertTrue(spec.get("flows") == null && spec.get("sources") == null,
                "the Integration carries no copy of the routes: they come from the jar");
        CamelKBuild build = CamelKBuild.of("integration", spec, List.of());
        platformVersion = build.runtimeVersion();
        integrationApp = build(build, "integration");
        integrationUserProperties = trait(spec, "camel", "properties");
        integrationJvmOptions = trait(spec, "jvm", "options");
    }

    /** Builds a manifest's project, printing how long it took and what stood in for what. */
    private static Path build(CamelKBuild build, String name) throws Exception {
        long started = System.nanoTime();
        Path app = build.build(WORK.resolve(name), WORK.resolve(name + "-build.log"));
        System.out.printf("Camel K runtime check: %s built on Quarkus platform %s in %d s%n", name,
                build.runtimeVersion(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        build.standIns().forEach(line -> System.out.println("Camel K runtime check: STAND-IN " + line));
        return app;
    }

    /** A list-valued option of a trait (e.g. camel's properties, jvm's options), as strings. */
    private static List<String> trait(Map<String, Object> spec, String trait, String option) {
        return Manifests.list(Manifests.map(Manifests.map(spec.get("traits")).get(trait)).get(option)).stream()
                .map(Object::toString).toList();
    }

    @AfterAll
    static void stopTheSandbox() throws Exception {
        if (sandbox != null) {
            sandbox.destroy();
            sandbox.waitFor(10, TimeUnit.SECONDS);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void givenTheIntegration_whenItsPodRuns_thenEveryJobDeliversRowExactAndTheProbesAnswerWhereCamelKLooks()
            throws Exception {
        int httpPort = S3MockServer.freePort();
        int managementPort = S3MockServer.freePort();
        try (CamelKPod pod = integrationPod("daemon", Map.of("report-pipes.run-at-start", "true"), false)) {
            pod.env("SERVICEMINDER_NORTH_API_KEY", NORTH_KEY).start(integrationJvmOptions, httpPort, managementPort);
            Path out = pod.path("/var/report-pipes/out");
            List<Path> jobs = new ArrayList<>();
            NORTH_KINDS.forEach(kind -> jobs.add(out.resolve("serviceminder/north/" + kind)));
            PEOPLE_REPORTS.forEach(report -> jobs.add(out.resolve("crewmojo/people/" + report)));
            awaitDoneMarkers(pod, jobs);

            // every row once, in order, as the sandbox holds them
            assertEquals(teamContacts(), Delivered.csvPages(jobs.get(0)), pod.logText());
            assertEquals(crewmojo().expectedRecords("employee.list", null, null), employees(jobs.get(4)));

            // Camel K's probes (health trait: port 9876, /observe/health/*) and the status page, 20 requests in a row
            assertEquals(200, get(managementPort, "/observe/health/ready").statusCode());
            assertEquals(200, get(managementPort, "/observe/health/live").statusCode());
            for (int i = 0; i < 20; i++) {
                assertEquals(200, get(httpPort, "/").statusCode(), "status page, request " + (i + 1));
                HttpResponse<String> status = get(httpPort, "/status");
                assertEquals(200, status.statusCode(), "status JSON, request " + (i + 1));
                assertTrue(status.body().contains("\"serviceminder/north/contacts\""), status.body());
            }
            String metrics = get(managementPort, "/observe/metrics").body();
            assertTrue(metrics.contains("report_pipes_"), "the jobs' metrics at /observe/metrics");

            // the image holds the runtime's parts only, none of Camel Main's laptop set-up
            String image = Files.readString(integrationApp.resolve("quarkus-app-dependencies.txt"));
            for (String artifact : List.of("log4j-core", "artemis-server", "camel-platform-http-main",
                    "camel-micrometer-prometheus")) {
                assertFalse(image.contains(":" + artifact), "the image carries " + artifact);
            }
            String log = pod.logText();
            assertTrue(log.contains("Apache Camel Quarkus " + camelQuarkusVersion()), "runs on Camel Quarkus:\n" + log);
            // the manifest's replicas share Quartz's clustered JobStore in the state database
            assertTrue(log.contains("Cluster mode: scheduler") && log.contains("as the first node alive"), log);
            assertTrue(log.contains("Apache Camel " + camelVersion()), "runs the project's Camel " + camelVersion());
            assertFalse(log.contains("multiple SLF4J providers"), "one logging backend, the runtime's");
            for (String secret : List.of(NORTH_KEY, CLIENT_SECRET)) {
                assertFalse(log.contains(secret), "a secret in the pod's log");
            }
        }
    }

    @Test
    void givenTwoReplicasOfTheIntegration_whenTheirJobsFire_thenEachJobRunsOnceOnOneOfThem() throws Exception {
        // the manifest's replicas: two pods of the same image and ConfigMap on one database, one schedule
        Map<String, String> team = Map.of("report-pipes.schedule", AppRun.cronIn(25));
        String database = newDatabase();
        try (CamelKPod first = integrationPod("daemon", team, false, "", integrationApp, database);
             CamelKPod second = integrationPod("daemon", team, false, "", integrationApp, database)) {
            for (CamelKPod pod : List.of(first, second)) {
                pod.userProperties(integrationUserProperties).env("SERVICEMINDER_NORTH_API_KEY", NORTH_KEY)
                        .start(integrationJvmOptions, S3MockServer.freePort(), S3MockServer.freePort());
            }
            List<String> jobs = new ArrayList<>();
            NORTH_KINDS.forEach(kind -> jobs.add("serviceminder/north/" + kind));
            PEOPLE_REPORTS.forEach(report -> jobs.add("crewmojo/people/" + report));
            awaitUntil(first, () -> second.isAlive() && jobs.stream().allMatch(job -> runs(first, job).size()
                    + runs(second, job).size() == 1 && Delivered.hasDoneMarker(onlyRun(first, second, job))));

            for (String job : jobs) {
                assertEquals(1, runs(first, job).size() + runs(second, job).size(), job + " ran once, on one pod");
            }
            assertEquals(teamContacts(), Delivered.csvPages(onlyRun(first, second, "serviceminder/north/contacts")));
            assertTrue(first.logText().contains("Cluster mode: scheduler") && second.logText()
                    .contains("Cluster mode: scheduler"), "both pods in the cluster");
        }
    }

    /** A job's run folders in a pod's files sink. */
    private static List<Path> runs(CamelKPod pod, String job) {
        Path folder = pod.path("/var/report-pipes/out").resolve(job);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> list = Files.list(folder)) {
            return list.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The run folder of a job that ran once, on either pod. */
    private static Path onlyRun(CamelKPod first, CamelKPod second, String job) {
        List<Path> all = new ArrayList<>(runs(first, job));
        all.addAll(runs(second, job));
        return all.size() == 1 ? all.get(0) : Path.of("no-single-run");
    }

    @Test
    void givenTheIntegrationAsARunOnceWithTheConfigMapsFilesTheOtherWayRound_whenAJobFails_thenTheOthersDeliverAndThePodExitsNonZero()
            throws Exception {
        // the ConfigMap's files written in the other order: what a pod does must not depend on it
        try (CamelKPod pod = integrationPod("run-once", Map.of(), true)) {
            pod.env("SERVICEMINDER_NORTH_API_KEY", NORTH_KEY).env("CREWMOJO_PEOPLE_CLIENT_SECRET", "a-secret-crewmojo-refuses")
                    .start(integrationJvmOptions, S3MockServer.freePort(), S3MockServer.freePort());

            int code = pod.waitFor(180);

            assertNotEquals(0, code, "a run-once with a failed job exits non-zero:\n" + pod.tail(60));
            Path contacts = pod.path("/var/report-pipes/out/serviceminder/north/contacts");
            assertTrue(Delivered.hasDoneMarker(contacts), pod.tail(60));
            assertEquals(teamContacts(), Delivered.csvPages(contacts));
            assertTrue(pod.logText().contains("crewmojo/people/employee.list FAILED"), pod.tail(60));
        }
    }

    @Test
    void givenAKeyInBothFilesOfTheConfigMap_whenThePodStarts_thenItRefusesNamingTheKeyAndFiles() throws Exception {
        try (CamelKPod pod = integrationPod("daemon", Map.of(), false, "\n# a team sets the mode here too\nreport-pipes.mode = run-once\n")) {
            pod.start(integrationJvmOptions, S3MockServer.freePort(), S3MockServer.freePort());

            int code = pod.waitFor(120);

            assertNotEquals(0, code);
            assertTrue(pod.logText().contains("report-pipes.mode is set in"), pod.tail(60));
        }
    }

    @Test
    void givenTheSandboxTurnedOnInAPod_whenThePodStarts_thenItRefusesSayingThePodsJarHasNone() throws Exception {
        try (CamelKPod pod = integrationPod("daemon", Map.of(), false)) {
            Path podSettings = pod.path("/etc/camel/conf.d/_configmaps/report-pipes-config/camel-k.properties");
            Files.writeString(podSettings, Files.readString(podSettings).replace("sandbox.enabled = false",
                    "sandbox.enabled = true"));
            pod.start(integrationJvmOptions, S3MockServer.freePort(), S3MockServer.freePort());

            int code = pod.waitFor(120);

            assertNotEquals(0, code);
            assertTrue(pod.logText().contains("sandbox.enabled = true, but this build of report-pipes leaves that out"),
                    pod.tail(60));
        }
    }

    @Test
    void givenTheServiceminderToFilesPipe_whenItFires_thenThePagesAreDroppedInTheFolderRowExact() throws Exception {
        try (CamelKPod pod = pipePod("serviceminder-north-contacts-to-files.yaml", List.of())) {
            Path job = pod.path("/var/report-pipes/out/serviceminder/north/contacts");
            awaitDoneMarkers(pod, List.of(job));

            assertEquals(3, Delivered.files(job).size(), "two pages and the done marker: " + Delivered.files(job));
            assertEquals(expectedContacts(), Delivered.csvPages(job), pod.logText());
            assertOnlyThePipesJobRan(pod);
        }
    }

    @Test
    void givenTheCrewmojoToFilesPipe_whenItFires_thenTheReportIsDroppedInTheFolderRowExact() throws Exception {
        try (CamelKPod pod = pipePod("crewmojo-people-employees-to-files.yaml", List.of())) {
            Path job = pod.path("/var/report-pipes/out/crewmojo/people/employee.list");
            awaitDoneMarkers(pod, List.of(job));

            assertEquals(2, Delivered.files(job).size(), "the report and the done marker: " + Delivered.files(job));
            assertEquals(crewmojo().expectedRecords("employee.list", null, null), employees(job));
            assertOnlyThePipesJobRan(pod);
        }
    }

    @Test
    void givenTheServiceminderToS3Pipe_whenItFires_thenEveryRowIsInTheBucketOnceUnderThePagesKeys() throws Exception {
        try (S3MockServer s3 = S3MockServer.start(); S3Client client = s3.client()) {
            // the cluster's S3 is S3Mock here; the pod's credentials come from the Secret (AWS_* variables)
            List<String> local = List.of("camel.kamelet.aws-s3-sink.uriEndpointOverride=" + s3.endpoint(),
                    "camel.kamelet.aws-s3-sink.overrideEndpoint=true", "camel.kamelet.aws-s3-sink.forcePathStyle=true",
                    "camel.kamelet.aws-s3-sink.autoCreateBucket=true");
            String prefix = "serviceminder/north/contacts/";
            try (CamelKPod pod = pipePod("serviceminder-north-contacts-to-s3.yaml", local)) {
                awaitUntil(pod, () -> Delivered.keys(client, prefix).stream().anyMatch(k -> k.endsWith("/_SUCCESS")));

                List<String> keys = Delivered.keys(client, prefix);
                String run = keys.get(0).substring(prefix.length()).split("/")[0];
                assertEquals(List.of(prefix + run + "/_SUCCESS", prefix + run + "/page-00001.csv",
                        prefix + run + "/page-00002.csv"), keys);
                List<List<String>> rows = new ArrayList<>();
                for (String key : keys.subList(1, 3)) {
                    Path page = pod.path("/tmp/report-pipes").resolve(key.replace('/', '_'));
                    Files.write(page, client.getObjectAsBytes(b -> b.bucket("report-pipes").key(key)).asByteArray());
                    rows.addAll(CsvTable.read(page).rows());
                }
                assertEquals(expectedContacts(), rows);
                assertOnlyThePipesJobRan(pod);
            }
        }
    }

    @Test
    void givenTheCrewmojoToArtemisPipe_whenItFires_thenTheReportAndItsDoneMarkerAreOnTheQueueOnce() throws Exception {
        Path data = Files.createTempDirectory(WORK, "artemis-");
        try (LocalArtemis broker = new LocalArtemis(data, S3MockServer.freePort())) {
            // the manifest's broker URL names the cluster's Artemis service; here it is a local broker
            List<String> local = List.of("camel.kamelet.jms-apache-artemis-sink.brokerURL=" + broker.url());
            List<String> bodies = new ArrayList<>();
            try (CamelKPod pod = pipePod("crewmojo-people-employees-to-artemis.yaml", local)) {
                awaitUntil(pod, () -> {
                    bodies.addAll(Delivered.drain(broker.url(), "reports"));
                    return bodies.stream().anyMatch(b -> b.contains("\"completedAt\""));
                });

                assertEquals(2, bodies.size(), "the report, then the done marker");
                assertEquals(crewmojo().expectedRecords("employee.list", null, null), Delivered.records(
                        new ObjectMapper().readTree(bodies.get(0)), crewmojo().columns("employee.list")));
                assertOnlyThePipesJobRan(pod);
            }
        } finally {
            LocalArtemis.releaseThreads();
        }
    }

    // --- the pod --------------------------------------------------------------------------------------------

    private static CamelKPod integrationPod(String mode, Map<String, String> teamValues, boolean reversed)
            throws Exception {
        return integrationPod(mode, teamValues, reversed, "");
    }

    /**
     * The Integration's pod: the ConfigMap from the two files (the team's with {@code teamValues} and the sandbox's
     * port, the pod's with the sandbox as both vendors and {@code mode}), the Crewmojo client's Secret values.
     */
    private static CamelKPod integrationPod(String mode, Map<String, String> teamValues, boolean reversed,
                                            String teamExtra) throws Exception {
        return integrationPod(mode, teamValues, reversed, teamExtra, integrationApp, newDatabase())
                .userProperties(integrationUserProperties);
    }

    /** A database of its own for a pod (or for the replicas of one Integration). */
    private static String newDatabase() throws java.sql.SQLException {
        return postgres.createDatabase("pod_" + ++pods);
    }

    private static CamelKPod integrationPod(String mode, Map<String, String> teamValues, boolean reversed,
                                            String teamExtra, Path app, String database) throws Exception {
        Path root = Files.createTempDirectory(WORK, "pod-");
        Map<String, String> team = new LinkedHashMap<>(teamValues);
        team.put("serviceminder.organisations", "north");
        String application = withValues(Files.readString(Path.of("application.properties")), team) + teamExtra;
        String podSettings = withValues(Files.readString(DEPLOY.resolve("camel-k.properties")), Map.of(
                "report-pipes.mode", mode,
                "serviceminder.base-url", "http://localhost:" + sandboxPort,
                "state.jdbc.url", database))
                // the sandbox as Crewmojo too (crewmojo.base-url is a default in the jar, so no mounted file has it)
                + "\ncrewmojo.base-url = http://localhost:" + sandboxPort + "\n";
        Map<String, String> files = new LinkedHashMap<>();
        if (reversed) {
            files.put("camel-k.properties", podSettings);
            files.put("application.properties", application);
        } else {
            files.put("application.properties", application);
            files.put("camel-k.properties", podSettings);
        }
        return new CamelKPod(root, app).configMap("report-pipes-config", files)
                .env("CREWMOJO_PEOPLE_CLIENT_ID", CLIENT_ID).env("CREWMOJO_PEOPLE_CLIENT_SECRET", CLIENT_SECRET)
                .env("REPORT_PIPES_DB_USER", "postgres");
    }

    /**
     * A Pipe's pod as the operator makes it: its one flow (kamelet:SOURCE/source to the sink) under
     * /etc/camel/sources, the Kamelets it uses (ours from routes/, the catalog's sink) under /etc/camel/kamelets,
     * the Kamelets' properties as camel.kamelet.NAME.source|sink.KEY, the ConfigMap and Secret as the
     * Integration's. Test-only additions: {@code local} (a sink's endpoint on this machine) and a schedule that
     * fires within seconds in place of the manifest's.
     */
    private static CamelKPod pipePod(String manifest, List<String> local) throws Exception {
        Map<String, Object> pipe = Manifests.load(DEPLOY.resolve(manifest));
        assertEquals("Pipe", pipe.get("kind"));
        Map<String, Object> spec = Manifests.map(pipe.get("spec"));
        Map<String, Object> integration = Manifests.map(spec.get("integration"));
        Map<String, Object> source = Manifests.map(spec.get("source"));
        Map<String, Object> sink = Manifests.map(spec.get("sink"));
        String sourceName = Manifests.map(source.get("ref")).get("name").toString();
        Path sourceKamelet = Path.of("routes", sourceName + ".kamelet.yaml");

        List<String> inferred = new ArrayList<>(List.of("camel:yaml-dsl", "camel:kamelet"));
        inferred.addAll(kameletDependencies(Files.readString(sourceKamelet)));
        Map<String, String> kamelets = new LinkedHashMap<>();
        kamelets.put(sourceName + ".kamelet.yaml", Files.readString(sourceKamelet));
        List<String> properties = new ArrayList<>();
        Manifests.map(source.get("properties")).forEach((key, value) ->
                properties.add("camel.kamelet." + sourceName + ".source." + key + "=" + value));
        String to;
        if (sink.get("ref") != null) {
            String sinkName = Manifests.map(sink.get("ref")).get("name").toString();
            String catalogKamelet = catalogKamelet(sinkName);
            inferred.addAll(kameletDependencies(catalogKamelet));
            kamelets.put(sinkName + ".kamelet.yaml", catalogKamelet);
            Manifests.map(sink.get("properties")).forEach((key, value) ->
                    properties.add("camel.kamelet." + sinkName + ".sink." + key + "=" + value));
            to = "kamelet:" + sinkName + "/sink";
        } else {
            String uri = sink.get("uri").toString();
            inferred.add("camel:" + uri.substring(0, uri.indexOf(':')));
            List<String> parameters = new ArrayList<>();
            Manifests.map(sink.get("properties")).forEach((key, value) -> parameters.add(key + "=" + value));
            to = uri + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
        }

        CamelKBuild build = CamelKBuild.of(manifest, integration, inferred);
        Path app = pipeApps.get(build.key());
        if (app == null) {
            app = build(build, manifest.replace(".yaml", ""));
            pipeApps.put(build.key(), app);
        }

        List<String> user = new ArrayList<>();
        String schedule = "camel.kamelet." + sourceName + ".schedule=";
        for (String text : trait(integration, "camel", "properties")) {
            boolean replaced = local.stream().anyMatch(l -> l.startsWith(text.substring(0, text.indexOf('=') + 1)));
            if (!text.startsWith(schedule) && !replaced) {
                user.add(text);
            }
        }
        user.add(schedule + AppRun.cronIn(12));
        user.addAll(properties);
        user.addAll(local);

        CamelKPod pod = integrationPod("daemon", Map.of(), false, "", app, newDatabase())
                .source("camel-k-embedded-flow.yaml", """
                        - route:
                            id: binding
                            from:
                              uri: "kamelet:%s/source"
                              steps:
                                - to: "%s"
                        """.formatted(sourceName, to))
                .kamelets("kamelets-bundle-" + manifest.replace(".yaml", "") + "-000", kamelets)
                .userProperties(user)
                .env("SERVICEMINDER_NORTH_API_KEY", NORTH_KEY)
                .env("AWS_ACCESS_KEY_ID", "test-access-key").env("AWS_SECRET_ACCESS_KEY", "test-secret-access-key");
        pod.start(trait(integration, "jvm", "options"), S3MockServer.freePort(), S3MockServer.freePort());
        return pod;
    }

    /** A Kamelet's {@code spec.dependencies}, which the operator adds to the build. */
    private static List<String> kameletDependencies(String kamelet) {
        Map<String, Object> yaml = Manifests.map(new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(kamelet));
        return Manifests.list(Manifests.map(yaml.get("spec")).get("dependencies")).stream().map(Object::toString).toList();
    }

    /** A Kamelet of the official catalog (the camel-kamelets jar the operator's cluster installs them from). */
    private static String catalogKamelet(String name) throws IOException {
        try (var in = CamelKRuntimeIT.class.getResourceAsStream("/kamelets/" + name + ".kamelet.yaml")) {
            assertTrue(in != null, name + " is not in the Kamelet catalog");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A Pipe's pod ran its own job and none of application.properties' (north's other Kinds, the people client). */
    private static void assertOnlyThePipesJobRan(CamelKPod pod) throws IOException {
        String log = pod.logText();
        for (String other : List.of("serviceminder/north/invoices", "serviceminder/south/contacts", "crewmojo/people/goals.progress")) {
            assertFalse(log.contains(other + ": run"), "a Pipe's pod ran " + other + " of application.properties");
        }
        assertFalse(log.contains(NORTH_KEY) || log.contains(CLIENT_SECRET), "a secret in the pod's log");
    }

    /** north's contacts as application.properties asks for them (with Contacts.IncludeCustomFields). */
    private static List<List<String>> teamContacts() throws Exception {
        ObjectNode payload = new ObjectMapper().createObjectNode().put("Kind", "contacts");
        payload.putObject("Contacts").put("IncludeCustomFields", true);
        return serviceminder().expectedRecords("north", payload);
    }

    /** north's contacts as a Pipe asks for them (the Kind only). */
    private static List<List<String>> expectedContacts() throws Exception {
        return serviceminder().expectedRecords("north", new ObjectMapper().createObjectNode().put("Kind", "contacts"));
    }

    /** A properties file with some keys' values replaced (each key must be there: no key is added). */
    private static String withValues(String text, Map<String, String> values) {
        String result = text;
        for (Map.Entry<String, String> value : values.entrySet()) {
            Matcher line = Pattern.compile("(?m)^" + Pattern.quote(value.getKey()) + "\\s*=.*$").matcher(result);
            assertTrue(line.find(), "the file sets " + value.getKey());
            result = line.replaceFirst(Matcher.quoteReplacement(value.getKey() + " = " + value.getValue()));
        }
        return result;
    }

    /** The operator's view of the jar: the coordinates the manifests name, published where its Maven looks. */
    private static void publishTheJar() throws Exception {
        String version = projectVersion();
        Path jar = Path.of("target/report-pipes-" + version + ".jar");
        assertTrue(Files.exists(jar), jar + " is missing: run ./mvnw verify (package comes before this test)");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            List<String> local = zip.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(name -> name.startsWith("io/reportpipes/sandbox/") || name.contains("LocalArtemis")
                            || name.equals("log4j2.properties")).toList();
            assertEquals(List.of(), local, "the jar a pod takes carries no sandbox, local broker or log4j settings");
        }
        String manifest = Files.readString(DEPLOY.resolve("integration.yaml"));
        assertTrue(manifest.contains("mvn:io.reportpipes:report-pipes:" + version), "the Integration names this version");
        Path log = WORK.resolve("publish.log");
        int code = CamelKBuild.run(Path.of(".").toAbsolutePath(), log, "-q", "install:install-file", "-Dfile=" + jar.toAbsolutePath(),
                "-DpomFile=" + Path.of("pom.xml").toAbsolutePath());
        assertEquals(0, code, "installing the jar failed; see " + log);
    }

    private static void awaitDoneMarkers(CamelKPod pod, List<Path> jobs) throws Exception {
        awaitUntil(pod, () -> jobs.stream().allMatch(Delivered::hasDoneMarker));
    }

    private static void awaitUntil(CamelKPod pod, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!done.getAsBoolean()) {
            assertTrue(pod.isAlive(), "the pod stopped:\n" + pod.tail(60));
            assertFalse(pod.logText().contains(" FAILED after "), "a job failed:\n" + pod.tail(60));
            assertTrue(System.nanoTime() < deadline, "not done within 180 s:\n" + pod.tail(60));
            Thread.sleep(500);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- what the sandbox holds and what arrived --------------------------------------------------------------

    private static ServiceminderSandbox serviceminder() {
        ServiceminderSandbox expected = new ServiceminderSandbox(SEED, Duration.ZERO, 100, 1000);
        expected.addOrganisation(new ServiceminderSandbox.Organisation("north", NORTH_KEY, 1000, Set.of(4101)));
        expected.rows("north", "contacts", 30_001);
        return expected;
    }

    private static CrewmojoSandbox crewmojo() {
        return new CrewmojoSandbox(SEED, Duration.ofMinutes(30), Duration.ofMinutes(10), 300)
                .firstDate(LocalDate.now(ZoneOffset.UTC).minusDays(730)).addClient(CLIENT_ID, CLIENT_SECRET);
    }

    private static List<List<String>> employees(Path job) throws Exception {
        return Delivered.records(new ObjectMapper().readTree(Delivered.pages(job).get(0).toFile()),
                crewmojo().columns("employee.list"));
    }

    // --- versions -------------------------------------------------------------------------------------------

    private static String projectVersion() throws IOException {
        return pomValue("<version>(.+?)</version>");
    }

    private static String camelVersion() throws IOException {
        return pomValue("<camel.version>(.+?)</camel.version>");
    }

    /** The Camel Quarkus release of the pinned platform (its BOM in the local repository). */
    private static String camelQuarkusVersion() throws IOException {
        Path bom = Path.of(System.getProperty("user.home"), ".m2/repository/io/quarkus/platform/quarkus-camel-bom",
                platformVersion, "quarkus-camel-bom-" + platformVersion + ".pom");
        Matcher core = Pattern.compile("<artifactId>camel-quarkus-core</artifactId>\\s*<version>(.+?)</version>")
                .matcher(Files.readString(bom));
        assertTrue(core.find(), "camel-quarkus-core in " + bom);
        return core.group(1);
    }

    private static String pomValue(String regex) throws IOException {
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(matcher.find(), regex + " in pom.xml");
        return matcher.group(1);
    }
}
