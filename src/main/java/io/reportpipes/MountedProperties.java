package io.reportpipes;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The property files a Camel K pod mounts ({@code camel.main.cloud-properties-location}: each ConfigMap's folder).
 * Camel loads them as override properties in directory order, so a key set in two of them takes whichever value
 * the file system lists last: such a key is a configuration error, reported with the files that set it.
 */
final class MountedProperties {

    private MountedProperties() {
    }

    /** One problem per key that more than one mounted file sets; none when nothing is mounted. */
    static List<String> keysSetTwice(String locations) throws IOException {
        Map<String, List<String>> filesByKey = new TreeMap<>();
        for (String location : locations.split(",")) {
            String path = location.trim().replaceFirst("^file:", "");
            if (!path.isEmpty()) {
                for (Path file : files(Path.of(path))) {
                    for (String key : load(file).stringPropertyNames()) {
                        filesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(file.toString());
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        filesByKey.forEach((key, files) -> {
            if (files.size() > 1) {
                problems.add(key + " is set in " + String.join(" and ", files) + ": which value wins depends on the "
                        + "order the file system lists them in; keep it in one file of the ConfigMap");
            }
        });
        return problems;
    }

    /** A folder's files as the kubelet lays out a ConfigMap: the keys' links, not its hidden ..data folders. */
    private static List<Path> files(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return Files.isRegularFile(location) ? List.of(location) : List.of();
        }
        try (Stream<Path> entries = Files.list(location)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".."))
                    .filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
