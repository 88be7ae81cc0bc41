package io.reportpipes;

import io.reportpipes.jobs.RunSummary;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts report-pipes with Camel Main: the YAML routes under {@code routes/}, the settings of
 * {@code application.properties} (and {@code application-<profile>.properties} when
 * {@code camel.main.profile} is set, e.g. {@code vendor}), the beans of {@link ReportPipesConfiguration}.
 * A run-once exits 1 when a job failed.
 */
public final class Application {

    private Application() {
    }

    public static void main(String... args) throws Exception {
        Main main = create();
        int code = main.run(args);
        RunSummary summary = main.getCamelContext() == null ? null
                : main.getCamelContext().getRegistry().lookupByNameAndType("runSummary", RunSummary.class);
        if (code == 0 && summary != null && summary.failures() > 0) {
            code = 1;
        }
        System.exit(code);
    }

    /** A Main set up as the command line runs it; tests add override properties before running it. */
    public static Main create() {
        Main main = new Main();
        main.configure().addConfiguration(ReportPipesConfiguration.class);
        main.setPropertyPlaceholderLocations(propertyLocations());
        return main;
    }

    /** Profile first (the first location that has a key wins), then the project's application.properties. */
    static String propertyLocations() {
        String profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
        String locations = "file:application.properties";
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
