package io.reportpipes;

import io.reportpipes.jobs.RunSummary;
import io.reportpipes.sandbox.SandboxServer;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Runs the application as the command line does (the real YAML routes and application.properties)
 * against a test's own sandbox, overriding only the base URL, the sink and work locations, the
 * organisations and the waits. Captures every log line of the run.
 */
final class AppRun {

    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<RoutesBuilder> extraRoutes = new ArrayList<>();
    private final Path dir;

    AppRun(SandboxServer sandbox, Path dir) {
        this(dir);
        set("sandbox.enabled", "false");
        set("serviceminder.base-url", sandbox.baseUrl());
        set("crewmojo.base-url", sandbox.baseUrl());
        // no job but those the test adds
        set("serviceminder.organisations", "");
        set("crewmojo.clients", "");
    }

    /** The default job set of application.properties against the embedded sandbox (on a free port). */
    static AppRun embedded(Path dir) throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return new AppRun(dir).set("sandbox.port", Integer.toString(socket.getLocalPort()));
        }
    }

    private AppRun(Path dir) {
        this.dir = dir;
        set("state.file.dir", dir.resolve("state").toString());
        set("sink.files.uri", "file:" + dir.resolve("out") + "?tempPrefix=.inprogress-&fileExist=Override");
        set("report-pipes.work-dir", dir.resolve("work").toString());
        set("serviceminder.poll.first-interval", "50ms");
        set("serviceminder.poll.max-interval", "200ms");
        set("retry.delay-ms", "20");
        set("retry.max-delay-ms", "100");
        set("serviceminder.queue-full.delay-ms", "50");
        set("crewmojo.poll.first-interval", "50ms");
        set("crewmojo.poll.max-interval", "200ms");
    }

    AppRun set(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** Adds a test route (in Java, beside the real YAML), e.g. a sink that fails on purpose. */
    AppRun route(RoutesBuilder routes) {
        extraRoutes.add(routes);
        return this;
    }

    /** Adds an organisation to the run's configuration. */
    AppRun organisation(String name, String apiKey, int userId, String kinds) {
        String organisations = overrides.getOrDefault("serviceminder.organisations", "");
        set("serviceminder.organisations", organisations.isEmpty() ? name : organisations + "," + name);
        set("serviceminder.organisation." + name + ".api-key", apiKey);
        set("serviceminder.organisation." + name + ".user-id", Integer.toString(userId));
        set("serviceminder.organisation." + name + ".kinds", kinds);
        return this;
    }

    /** Adds a Crewmojo client and its reports to the run's configuration. */
    AppRun client(String name, String clientId, String secret, String reports) {
        String clients = overrides.getOrDefault("crewmojo.clients", "");
        set("crewmojo.clients", clients.isEmpty() ? name : clients + "," + name);
        set("crewmojo.client." + name + ".client-id", clientId);
        set("crewmojo.client." + name + ".client-secret", secret);
        set("crewmojo.client." + name + ".reports", reports);
        return this;
    }

    Path out() {
        return dir.resolve("out");
    }

    /** What a run left: its summary, its log, and each line's job id in the MDC (null: none). */
    record Result(RunSummary summary, List<String> log, List<String> jobIds) {
        String logText() {
            return String.join("\n", log);
        }
    }

    Result run() throws Exception {
        return run(run -> run.get(90, TimeUnit.SECONDS));
    }

    /** Runs in daemon mode until {@code done} holds (or 60 s pass), then stops it as Ctrl-C would. */
    Result runDaemonUntil(BooleanSupplier done) throws Exception {
        set("report-pipes.mode", "daemon");
        return run(run -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done.getAsBoolean() && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(100);
            }
        });
    }

    private interface Await {
        void until(Future<?> run) throws Exception;
    }

    /** Starts the application in a thread, waits as told, stops it if it still runs, returns what it left. */
    private Result run(Await await) throws Exception {
        LogCapture capture = LogCapture.attach();
        AtomicReference<RunSummary> summary = new AtomicReference<>();
        Main main = Application.create(summary);
        overrides.forEach(main::addOverrideProperty);
        extraRoutes.forEach(main.configure()::addRoutesBuilder);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<?> run = runner.submit(() -> {
                main.run();
                return null;
            });
            await.until(run);
            main.completed();
            run.get(30, TimeUnit.SECONDS);
            return new Result(summary.get(), capture.lines(), capture.jobIds());
        } finally {
            runner.shutdownNow();
            capture.detach();
        }
    }

    /**
     * A Quartz cron that fires {@code seconds} from now, and again each minute at that second (so a start slower
     * than {@code seconds} costs a minute, not the test); a test stops before the next minute.
     */
    static String cronIn(int seconds) {
        return java.time.ZonedDateTime.now().plusSeconds(seconds).getSecond() + " * * * * ?";
    }

    /** The run id of the job's only run folder in the sink (the test fails if there is not exactly one). */
    String onlyRun(String jobId) throws IOException {
        try (Stream<Path> runs = Files.list(out().resolve(jobId))) {
            List<Path> all = runs.toList();
            org.junit.jupiter.api.Assertions.assertEquals(1, all.size(), "one run folder");
            return all.get(0).getFileName().toString();
        }
    }

    /** Paths as strings with '/', to compare with expected names. */
    static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.toString().replace('\\', '/')).toList();
    }

    /** Files under a job's folder in the sink, relative to it, sorted. */
    List<Path> files(String jobId) throws IOException {
        Path job = out().resolve(jobId);
        if (!Files.exists(job)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(job)) {
            return walk.filter(Files::isRegularFile).map(job::relativize).sorted().toList();
        }
    }

    /** Collects formatted log events (with stack traces) while attached to the root logger. */
    static final class LogCapture extends AbstractAppender {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final List<String> jobIds = new ArrayList<>();

        private LogCapture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        static LogCapture attach() {
            LogCapture capture = new LogCapture();
            capture.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().addAppender(capture, null, null);
            context.updateLoggers();
            return capture;
        }

        void detach() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(getName());
            context.updateLoggers();
            stop();
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                    + event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            synchronized (lines) {
                lines.add(line.toString());
                jobIds.add(event.getContextData().getValue("jobId"));
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        List<String> jobIds() {
            synchronized (lines) {
                return Collections.unmodifiableList(new ArrayList<>(jobIds));
            }
        }
    }
}
