package io.reportpipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxMain;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.state.LocalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode as a Deployment of several replicas runs it: three application JVMs of the same configuration on one
 * PostgreSQL (Quartz's clustered JobStore, fenced checkpoints, the Crewmojo token row, the download cap), the vendor
 * sandbox as its own process, one shared folder sink, six jobs of multi-page runs fired three times. During the first
 * fire the node running a job is killed (SIGKILL), during the second a node running a job is paused for 20 s
 * (SIGSTOP, then SIGCONT), before the third a fourth node joins and an old one is stopped (SIGTERM): a rolling update.
 * Every job must end with one completed run per fire, every page and done marker once, rows exact, the sandbox never
 * holding more queued downloads per organisation than the cap, one Crewmojo token, and Quartz's fired triggers empty.
 */
class ClusterIT {

    private static final int FIRES = 3;
    private static final int CAP = 2;
    private static final long SEED = 11;
    private static final Map<String, Long> ROWS = Map.of("alpha/contacts", 60_001L, "alpha/invoices", 50_000L,
            "beta/contacts", 30_000L, "beta/services", 26_000L);
    private static final List<String> CREWMOJO_REPORTS = List.of("employee.list", "goals.progress");
    private static final String CLIENT_ID = "cluster-client";
    private static final String CLIENT_SECRET = "cluster-secret-7a1";
    private static final Pattern STARTED = Pattern.compile("(\\S+): run (\\S+) started");
    private static final Pattern RESUMED = Pattern.compile("(\\S+): resuming run (\\S+) at page");

    @TempDir
    Path dir;
    private LocalPostgres postgres;
    private Process sandbox;
    private Path sandboxLog;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private int sandboxPort;

    /** One application JVM and its log. */
    private record Node(String name, Process process, Path log) {
        String text() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void startPostgres() throws Exception {
        postgres = LocalPostgres.startOrSkip("ClusterIT");
    }

    /** The vendor sandbox as its own process (it prints its figures when it stops). */
    private void startSandbox(List<String> options) throws Exception {
        sandboxPort = S3MockServer.freePort();
        List<String> command = java(SandboxMain.class.getName());
        command.addAll(List.of("--port", Integer.toString(sandboxPort), "--seed", Long.toString(SEED)));
        command.addAll(options);
        sandboxLog = dir.resolve("sandbox.log");
        sandbox = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(sandboxLog.toFile()).start();
        await("the sandbox listening", () -> read(sandboxLog).contains("listening") || !sandbox.isAlive(), 30);
        assertTrue(sandbox.isAlive(), read(sandboxLog));
    }

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo test) throws Exception {
        for (Node node : nodes.values()) {
            node.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // the nodes' logs, kept for a look after the test
        Path kept = Path.of("target", "cluster-it", test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(kept);
        for (Node node : nodes.values()) {
            Files.copy(node.log(), kept.resolve(node.log().getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (sandbox != null) {
            sandbox.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void givenThreeNodes_whenOneIsKilledOnePausedAndOneReplaced_thenEveryFireRunsOnceAndEveryRowArrivesOnce()
            throws Exception {
        List<String> sandboxOptions = new ArrayList<>(List.of("--ready-after", "1.5s", "--default-rows", "0",
                "--crewmojo-rows", "800", "--org", "alpha:key-alpha-c1:4101", "--org", "beta:key-beta-c2:5120",
                "--client", CLIENT_ID + ":" + CLIENT_SECRET));
        ROWS.forEach((kind, rows) -> sandboxOptions.addAll(List.of("--rows", kind + "=" + rows)));
        startSandbox(sandboxOptions);
        // three fires a minute apart, the first 40 s from now (time for three JVMs to start)
        ZonedDateTime first = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(40);
        String cron = first.getSecond() + " " + first.getMinute() + "," + first.plusMinutes(1).getMinute() + ","
                + first.plusMinutes(2).getMinute() + " * * * ?";
        for (String name : List.of("a", "b", "c")) {
            startNode(name, threeFires(cron));
        }
        await("three nodes in the cluster", () -> nodes.values().stream()
                .allMatch(n -> n.text().contains("Cluster mode: scheduler")), 90);

        // fire 1: the node running a job is killed once its run has delivered a page
        Takeover kill = midRun(Set.of());
        nodes.get(kill.node()).process().destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        String resumedBy = awaitResumed(kill, Set.of(kill.node()), 90);
        System.out.printf("kill -9 of node %s during %s run %s: resumed by node %s after %.1f s%n", kill.node(),
                kill.jobId(), kill.runId(), resumedBy, (System.nanoTime() - killedAt) / 1e9);

        // fire 2: a node running a job is paused for 20 s; another takes its run over, and it delivers nothing more
        Takeover pause = midRun(Set.of(kill.node()));
        Node paused = nodes.get(pause.node());
        signal(paused, "STOP");
        long pausedAt = System.nanoTime();
        String takenBy = awaitResumed(pause, Set.of(kill.node(), pause.node()), 60);
        double takeover = (System.nanoTime() - pausedAt) / 1e9;
        Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(20) - (System.nanoTime() - pausedAt) / 1_000_000));
        int before = paused.text().length();
        signal(paused, "CONT");
        await("the paused node told it was taken over", () -> paused.text().substring(before)
                .contains("Job " + pause.jobId() + " run " + pause.runId() + " taken over by another node"), 60);
        String afterWaking = paused.text().substring(before);
        assertFalse(delivered(pause.jobId(), 0).matcher(afterWaking).find(),
                "the paused node delivered a page after its run was taken over:\n" + afterWaking);
        assertFalse(afterWaking.contains("Job " + pause.jobId() + " done"), afterWaking);
        System.out.printf("SIGSTOP of node %s during %s run %s: taken over by node %s after %.1f s, superseded on "
                + "SIGCONT%n", pause.node(), pause.jobId(), pause.runId(), takenBy, takeover);

        // a rolling update before fire 3: a new node joins, then an old one is stopped
        startNode("d", threeFires(cron));
        await("node d in the cluster", () -> nodes.get("d").text().contains("Cluster mode: scheduler"), 90);
        String old = nodes.keySet().stream().filter(n -> !n.equals(kill.node()) && !n.equals("d")).findFirst()
                .orElseThrow();
        await("fire 3 on the cluster", () -> runs().values().stream().allMatch(r -> r.size() >= FIRES), 120);
        signal(nodes.get(old), "TERM");
        assertTrue(nodes.get(old).process().waitFor(60, TimeUnit.SECONDS), "node " + old + " stopped on SIGTERM");

        await("every job's three runs completed", () -> completed() == jobs().size() * FIRES, 180);
        await("Quartz's fired triggers empty", () -> firedTriggers() == 0, 30);
        int firedTriggers = firedTriggers();
        for (Node node : nodes.values()) {
            if (node.process().isAlive()) {
                signal(node, "TERM");
                node.process().waitFor(60, TimeUnit.SECONDS);
            }
        }
        sandbox.destroy();
        sandbox.waitFor(30, TimeUnit.SECONDS);
        String figures = read(sandboxLog);

        Map<String, List<String>> runs = runs();
        for (Map.Entry<String, List<String>> job : runs.entrySet()) {
            assertEquals(FIRES, job.getValue().size(), job.getKey() + ": one run per fire, no second run of a fire: "
                    + job.getValue());
            for (String run : job.getValue()) {
                Path folder = dir.resolve("out").resolve(job.getKey()).resolve(run);
                assertTrue(Delivered.hasDoneMarker(folder), job.getKey() + " run " + run + " completed");
                assertEquals(expected(job.getKey()), Delivered.csvPages(folder), job.getKey() + " run " + run
                        + ": every row once, in order");
            }
        }
        assertTrue(runs.get(kill.jobId()).contains(kill.runId()), "the killed run completed under its own run id");
        assertTrue(runs.get(pause.jobId()).contains(pause.runId()), "the paused run completed under its own run id");
        // the cap holds for the downloads the cluster knew of; a node killed between startdownload's answer and
        // recording its DownloadId leaves one that the vendor keeps and no cap counts (at most one a fault)
        long mostQueued = 0;
        long neverFetched = 0;
        for (String organisation : List.of("alpha", "beta")) {
            mostQueued = Math.max(mostQueued, figure(figures, "most queued of the downloads fetched:[^\n]* "
                    + organisation));
            neverFetched += figure(figures, "never fetched:[^\n]* " + organisation);
        }
        long tokens = figure(figures, "crewmojo-tokens");
        long unauthorized = figure(figures, "crewmojo-401");
        System.out.printf("cluster: %d jobs x %d fires, %d runs completed; most queued downloads per organisation %d "
                + "(cap %d), never fetched %d; Crewmojo tokens issued %d, 401 answers %d; Quartz fired triggers once "
                + "quiet %d%n", runs.size(), FIRES, completed(), mostQueued, CAP, neverFetched, tokens, unauthorized,
                firedTriggers);
        assertTrue(mostQueued <= CAP, "the sandbox held " + mostQueued + " queued downloads of one organisation");
        assertTrue(neverFetched <= 2, neverFetched + " downloads never fetched: at most one for the kill -9 and "
                + "one for the SIGSTOP");
        assertEquals(1, tokens, "one token for the client, shared by every node (no expiry within the test)");
        assertEquals(0, unauthorized, "no request with an invalidated token");
        assertEquals(0, firedTriggers);
        for (Node node : nodes.values()) {
            assertFalse(node.text().contains(CLIENT_SECRET) || node.text().contains("key-alpha-c1"),
                    "a secret in node " + node.name() + "'s log");
        }
    }

    /**
     * 2,000 one-page jobs (200 organisations of ten Kinds) fired at once, on one node and then on three: every job once,
     * and how long the three took against the one (printed; the machine's cores are shared by all of them).
     */
    @Test
    void givenTwoThousandOnePageJobs_whenThreeNodesRunThem_thenEachRunsOnceAndTheTimeIsPrintedAgainstOneNode()
            throws Exception {
        List<String> sandboxOptions = new ArrayList<>(List.of("--ready-after", "0s", "--default-rows", "20"));
        for (int o = 0; o < FAN_OUT_ORGANISATIONS; o++) {
            sandboxOptions.addAll(List.of("--org", String.format("o%03d:key-o%03d:7", o, o)));
        }
        startSandbox(sandboxOptions);
        double one = fanOut("one", List.of("a"));
        double three = fanOut("three", List.of("b", "c", "d"));
        System.out.printf("cluster fan-out: %d one-page jobs fired at once: 1 node %.1f s, 3 nodes %.1f s, ratio %.2f "
                + "(goal 0.5; %d cores on this machine for the nodes, PostgreSQL and the sandbox)%n",
                FAN_OUT_ORGANISATIONS * FAN_OUT_KINDS.size(), one, three, three / one,
                Runtime.getRuntime().availableProcessors());
    }

    private static final int FAN_OUT_ORGANISATIONS = 200;
    private static final List<String> FAN_OUT_KINDS = List.of("contacts", "appointments", "deposits", "invoices",
            "invoicelines", "proposals", "services", "campaignbudgets", "revenueforecasts", "channelscampaigns");

    /** Runs every fan-out job once on these nodes (a one-shot cron); the seconds from the fire to the last done marker. */
    private double fanOut(String name, List<String> nodeNames) throws Exception {
        Map<String, String> jobs = new LinkedHashMap<>();
        List<String> organisations = new ArrayList<>();
        for (int o = 0; o < FAN_OUT_ORGANISATIONS; o++) {
            String organisation = String.format("o%03d", o);
            organisations.add(organisation);
            jobs.put("serviceminder.organisation." + organisation + ".api-key", "key-" + organisation);
            jobs.put("serviceminder.organisation." + organisation + ".user-id", "7");
            jobs.put("serviceminder.organisation." + organisation + ".kinds", String.join(",", FAN_OUT_KINDS));
        }
        jobs.put("serviceminder.organisations", String.join(",", organisations));
        jobs.put("crewmojo.clients", "");
        jobs.put("sink.files.uri", "file:" + dir.resolve("out-" + name) + "?tempPrefix=.inprogress-&fileExist=Override");
        jobs.put("serviceminder.max-outstanding-downloads", "100");
        jobs.put("report-pipes.parallel-jobs", "8");
        jobs.put("state.jdbc.pool-size", "10");
        // far in the future while the nodes start; the real fire time is set once they are all in
        jobs.put("report-pipes.schedule", "0 0 0 1 1 ? 2099");
        List<Node> started = new ArrayList<>();
        for (String node : nodeNames) {
            started.add(startNode(node, jobs));
        }
        await(name + ": the nodes in the cluster", () -> started.stream()
                .allMatch(n -> n.text().contains("Cluster mode: scheduler")), 240);
        ZonedDateTime fire = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5).withNano(0);
        try (Connection connection = DriverManager.getConnection(postgres.url(), "postgres", "");
             Statement statement = connection.createStatement()) {
            // every job's trigger to the same moment, as a nightly cron fires them together
            statement.executeUpdate("UPDATE qrtz_triggers SET next_fire_time = " + fire.toInstant().toEpochMilli()
                    + " WHERE trigger_group = 'report-pipes'");
        }
        Path out = dir.resolve("out-" + name);
        int expected = FAN_OUT_ORGANISATIONS * FAN_OUT_KINDS.size();
        await(name + ": every job's done marker", () -> doneMarkers(out) == expected, 900);
        double seconds = (latestDoneMarker(out) - fire.toInstant().toEpochMilli()) / 1000.0;
        for (Node node : started) {
            signal(node, "TERM");
            node.process().waitFor(60, TimeUnit.SECONDS);
        }
        try (Stream<Path> runs = Files.walk(out, 4)) {
            assertEquals(expected, runs.filter(p -> out.relativize(p).getNameCount() == 4).count(),
                    name + ": one run per job");
        }
        return seconds;
    }

    /** Done markers in the folder; -1 while a walk met a file being renamed (the next look counts again). */
    private static long doneMarkers(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().equals("_SUCCESS")).count();
        } catch (java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static long latestDoneMarker(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().equals("_SUCCESS")).mapToLong(p -> p.toFile().lastModified())
                    .max().orElseThrow();
        }
    }

    // --- the nodes ----------------------------------------------------------------------------------------------

    /** The first scenario's jobs: two organisations and a Crewmojo client, fired by {@code cron}. */
    private Map<String, String> threeFires(String cron) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("report-pipes.schedule", cron);
        // organisations and a client of their own (application.properties' north, south and people have settings)
        settings.put("serviceminder.organisations", "alpha,beta");
        settings.put("serviceminder.organisation.alpha.api-key", "key-alpha-c1");
        settings.put("serviceminder.organisation.alpha.user-id", "4101");
        settings.put("serviceminder.organisation.alpha.kinds", "contacts,invoices");
        settings.put("serviceminder.organisation.beta.api-key", "key-beta-c2");
        settings.put("serviceminder.organisation.beta.user-id", "5120");
        settings.put("serviceminder.organisation.beta.kinds", "contacts,services");
        settings.put("crewmojo.clients", "crew");
        settings.put("crewmojo.client.crew.client-id", CLIENT_ID);
        settings.put("crewmojo.client.crew.client-secret", CLIENT_SECRET);
        settings.put("crewmojo.client.crew.reports", String.join(",", CREWMOJO_REPORTS));
        settings.put("serviceminder.max-outstanding-downloads", Integer.toString(CAP));
        settings.put("sink.files.uri", "file:" + dir.resolve("out") + "?tempPrefix=.inprogress-&fileExist=Override");
        return settings;
    }

    /** A node in cluster mode against the sandbox and the test's database, with the scenario's {@code jobs}. */
    private Node startNode(String name, Map<String, String> jobs) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("report-pipes.mode", "daemon");
        settings.put("report-pipes.cluster.enabled", "true");
        settings.put("report-pipes.cluster.checkin-interval", "2s");
        settings.put("state.store", "jdbc");
        settings.put("state.jdbc.url", postgres.url());
        settings.put("state.jdbc.user", "postgres");
        settings.put("sandbox.enabled", "false");
        settings.put("serviceminder.base-url", "http://127.0.0.1:" + sandboxPort);
        settings.put("crewmojo.base-url", "http://127.0.0.1:" + sandboxPort);
        settings.put("serviceminder.poll.first-interval", "200ms");
        settings.put("serviceminder.poll.max-interval", "500ms");
        settings.put("crewmojo.poll.first-interval", "200ms");
        settings.put("retry.delay-ms", "100");
        settings.put("report-pipes.ops.enabled", "false");
        settings.put("report-pipes.work-dir", dir.resolve("work-" + name).toString());
        settings.putAll(jobs);
        List<String> command = java("io.reportpipes.Application");
        int main = command.size() - 1;
        settings.forEach((key, value) -> command.add(main, "-D" + key + "=" + value));
        Path log = dir.resolve("node-" + name + ".log");
        Process process = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Node node = new Node(name, process, log);
        nodes.put(name, node);
        return node;
    }

    private static List<String> java(String mainClass) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), mainClass));
    }

    private static void signal(Node node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process().pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /** A job's run on a live node (not in {@code skip}) that has delivered a page and has more to fetch. */
    private record Takeover(String node, String jobId, String runId) {
    }

    private Takeover midRun(Set<String> skip) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (Node node : nodes.values()) {
                if (skip.contains(node.name()) || !node.process().isAlive()) {
                    continue;
                }
                String log = node.text();
                Matcher started = STARTED.matcher(log);
                while (started.find()) {
                    String jobId = started.group(1);
                    String runId = started.group(2);
                    String after = log.substring(started.end());
                    // page 1 delivered (so in the checkpoint), page 2 not yet
                    if (jobId.startsWith("serviceminder/") && delivered(jobId, 1).matcher(after).find()
                            && !delivered(jobId, 2).matcher(after).find() && !after.contains(jobId + ": done marker")) {
                        return new Takeover(node.name(), jobId, runId);
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no node was in the middle of a serviceminder run:\n" + logs());
    }

    /** The log line of a delivered page of the job: page {@code page}, or any page for 0. */
    private static Pattern delivered(String jobId, int page) {
        return Pattern.compile(Pattern.quote(jobId) + " page " + (page == 0 ? "\\d+" : Integer.toString(page))
                + ": \\d+ rows");
    }

    /** The node (not in {@code skip}) that resumed the run, once it has. */
    private String awaitResumed(Takeover run, Set<String> skip, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (Node node : nodes.values()) {
                Matcher resumed = RESUMED.matcher(node.text());
                while (!skip.contains(node.name()) && resumed.find()) {
                    if (resumed.group(1).equals(run.jobId()) && resumed.group(2).equals(run.runId())) {
                        return node.name();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(run + " was not resumed by another node within " + seconds + " s:\n" + logs());
    }

    private String logs() {
        StringBuilder all = new StringBuilder();
        nodes.values().forEach(n -> all.append("--- node ").append(n.name()).append('\n').append(n.text()));
        return all.toString();
    }

    // --- what arrived -------------------------------------------------------------------------------------------

    private static List<String> jobs() {
        List<String> jobs = new ArrayList<>();
        ROWS.keySet().forEach(kind -> jobs.add("serviceminder/" + kind));
        CREWMOJO_REPORTS.forEach(report -> jobs.add("crewmojo/crew/" + report));
        return jobs;
    }

    /** Each job's run folders in the sink, sorted. */
    private Map<String, List<String>> runs() throws IOException {
        Map<String, List<String>> runs = new TreeMap<>();
        for (String job : jobs()) {
            Path folder = dir.resolve("out").resolve(job);
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(folder)) {
                try (Stream<Path> list = Files.list(folder)) {
                    list.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
                }
            }
            runs.put(job, names);
        }
        return runs;
    }

    private long completed() throws IOException {
        long done = 0;
        for (Map.Entry<String, List<String>> job : runs().entrySet()) {
            for (String run : job.getValue()) {
                if (Delivered.hasDoneMarker(dir.resolve("out").resolve(job.getKey()).resolve(run))) {
                    done++;
                }
            }
        }
        return done;
    }

    private static List<List<String>> expected(String jobId) throws Exception {
        String[] parts = jobId.split("/");
        if (parts[0].equals("crewmojo")) {
            CrewmojoSandbox crewmojo = new CrewmojoSandbox(SEED, Duration.ofMinutes(30), Duration.ofMinutes(10), 800)
                    .firstDate(LocalDate.now(ZoneOffset.UTC).minusDays(730));
            return crewmojo.expectedRecords(parts[2], null, null);
        }
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(SEED, Duration.ZERO, 100, 0);
        serviceminder.addOrganisation(new Organisation("alpha", "key-alpha-c1", 1000, Set.of(4101)));
        serviceminder.addOrganisation(new Organisation("beta", "key-beta-c2", 1001, Set.of(5120)));
        ROWS.forEach((kind, rows) -> serviceminder.rows(kind.split("/")[0], kind.split("/")[1], rows));
        return serviceminder.expectedRecords(parts[1], new ObjectMapper().createObjectNode().put("Kind", parts[2]));
    }

    private int firedTriggers() throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.url(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM qrtz_fired_triggers")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static long figure(String text, String name) {
        Matcher figure = Pattern.compile(name + "=(\\d+)").matcher(text);
        assertTrue(figure.find(), name + " in " + text);
        return Long.parseLong(figure.group(1));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A condition that may read files or the database. */
    private interface Condition {
        boolean holds() throws Exception;
    }

    private void await(String what, Condition condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline || !nodes.isEmpty() && nodes.values().stream().noneMatch(n -> n.process().isAlive())) {
                throw new AssertionError("not within " + seconds + " s: " + what + "\n" + logs());
            }
            Thread.sleep(100);
        }
    }
}
