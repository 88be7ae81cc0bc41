package io.reportpipes;

import io.reportpipes.jobs.RunOnce;
import io.reportpipes.jobs.RunSummary;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Starts report-pipes with Camel Main: the YAML routes under {@code routes/}, the settings of
 * {@code application-<profile>.properties} when {@code camel.main.profile} is set (e.g. {@code vendor}), then
 * {@code application.properties}, {@code camel-main.properties} and the defaults in the jar; the beans of {@link ReportPipesConfiguration}
 * (named by {@code camel.main.configuration-classes}). A run-once exits 1 when a job failed. A Camel K pod starts
 * the same configuration class on Camel Quarkus without this class.
 */
public final class Application {

    private Application() {
    }

    public static void main(String... args) throws Exception {
        AtomicReference<RunSummary> summary = new AtomicReference<>();
        int code;
        try {
            code = create(summary).run(args);
        } catch (Exception e) {
            InvalidConfigurationException invalid = invalidConfiguration(e);
            if (invalid == null) {
                throw e;
            }
            // the list of problems is the whole message: no stack trace above or below it
            System.err.println(invalid.getMessage());
            System.exit(2);
            return;
        }
        if (code == 0 && summary.get() != null && summary.get().failures() > 0) {
            code = 1;
        }
        System.exit(code);
    }

    private static InvalidConfigurationException invalidConfiguration(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidConfigurationException invalid) {
                return invalid;
            }
        }
        return null;
    }

    /**
     * A Main set up as the command line runs it; tests add override properties before running it.
     *
     * @param summary receives the run's summary once Camel started (the registry is emptied on stop)
     */
    public static Main create(AtomicReference<RunSummary> summary) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(propertyLocations());
        // this class turns the run's failures into the exit code (the registry is emptied by then)
        main.bind(RunOnce.EXIT_BEAN, (IntConsumer) code -> { });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                summary.set(started.getCamelContext().getRegistry().lookupByNameAndType("runSummary", RunSummary.class));
            }
        });
        return main;
    }

    /**
     * The defaults in the jar, read last: the sandbox's data (in the -app jar and camel:run only, hence optional) and
     * what a team rarely changes (the file Camel Quarkus reads as MicroProfile Config's lowest source).
     */
    public static final String DEFAULTS = "classpath:io/reportpipes/sandbox/sandbox.properties;optional=true,"
            + "classpath:META-INF/microprofile-config.properties";

    /**
     * Profile first (the first location that has a key wins), then the project's application.properties and the
     * settings of this runtime (camel-main.properties; the two share no key), then the defaults.
     */
    static String propertyLocations() {
        String profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
        String locations = "file:application.properties,file:camel-main.properties," + DEFAULTS;
        if (profile != null && !profile.isBlank()) {
            Path file = Path.of("application-" + profile.trim() + ".properties");
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("camel.main.profile=" + profile + " but " + file + " does not exist");
            }
            locations = "file:" + file + "," + locations;
        }
        return locations;
    }
}
