package io.reportpipes.testing;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's route files as the rule tests read them: the flows and Kamelets of {@code routes/}, in name order. */
public final class RouteFiles {

    private RouteFiles() {
    }

    /** {@code routes/*.camel.yaml}. */
    public static List<Path> flows() throws IOException {
        return list(".camel.yaml");
    }

    /** {@code routes/*.kamelet.yaml}. */
    public static List<Path> kamelets() throws IOException {
        return list(".kamelet.yaml");
    }

    /** A YAML file as plain lists, maps and scalars. */
    public static Object yaml(Path file) throws IOException {
        return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    private static List<Path> list(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
