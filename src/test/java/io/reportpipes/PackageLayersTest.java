package io.reportpipes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages are layers, and a class may use only its own layer's package or a lower layer: state (the
 * checkpoint stores) at the bottom; jobs (the engine: a job, its run, its settings and transform, its
 * checkpoints, its retries); delivery (how a run's pages reach a sink); the vendors; ops and the sandbox;
 * the application's configuration on top. So there is no cycle, and neither vendor knows the other.
 */
class PackageLayersTest {

    private static final Map<String, Integer> LAYERS = Map.of(
            "state", 0, "jobs", 1, "delivery", 2, "serviceminder", 3, "crewmojo", 3, "ops", 4, "sandbox", 4, "", 5);
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.reportpipes\\.(?:([a-z]+)\\.)?[A-Z]\\w*");

    @Test
    void givenTheMainSources_whenTheirReferencesAreRead_thenEachUsesOnlyItsOwnPackageOrALowerLayer() throws IOException {
        List<String> wrong = new ArrayList<>();
        Path root = Path.of("src/main/java/io/reportpipes");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            Path folder = root.relativize(source).getParent();
            String from = folder == null ? "" : folder.toString();
            assertTrue(LAYERS.containsKey(from), "a layer for the package of " + source);
            String code = Files.readString(source).replaceFirst("(?m)^package .*$", "");
            Matcher reference = REFERENCE.matcher(code);
            while (reference.find()) {
                String to = reference.group(1) == null ? "" : reference.group(1);
                if (!to.equals(from) && LAYERS.getOrDefault(to, -1) >= LAYERS.get(from)) {
                    wrong.add(root.relativize(source) + " uses " + reference.group());
                }
            }
        }
        assertEquals(List.of(), wrong, "references to a package of the same or a higher layer");
    }
}
