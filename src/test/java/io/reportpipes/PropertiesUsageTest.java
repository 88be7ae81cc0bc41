package io.reportpipes;

import io.reportpipes.testing.RouteFiles;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every {{key}} the routes use is defined, and every defined key is used (by a route, a bean or a value). */
class PropertiesUsageTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([a-zA-Z0-9._-]+)(?::[^}]*)?}}");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("- name: ([a-zA-Z0-9]+)");
    private static final Pattern JAVA_STRING = Pattern.compile("\"([a-z][a-z0-9.-]+)\"");
    /** Families read by prefix or by a name from another key, and Camel's own settings. */
    private static final List<String> FAMILIES = List.of("camel.", "serviceminder.organisation.",
            "sandbox.serviceminder.rows.", "transform.", "sink.", "crewmojo.client.", "crewmojo.url.", "sandbox.crewmojo.slow.", "report-pipes.ops.in-");

    @Test
    void givenTheRoutesAndProperties_thenEveryPlaceholderIsDefinedAndEveryKeyIsUsed() throws Exception {
        Set<String> defined = new TreeSet<>();
        String values = "";
        for (String file : List.of("application.properties", "application-vendor.properties",
                "application-local-brokers.properties", "camel-main.properties", "deploy/camel-k/camel-k.properties",
                "src/main/resources/META-INF/microprofile-config.properties",
                "src/main/resources/io/reportpipes/sandbox/sandbox.properties")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            defined.addAll(properties.stringPropertyNames());
            values += String.join("\n", properties.values().stream().map(String::valueOf).toList()) + "\n";
        }

        Set<String> usedByRoutes = new TreeSet<>();
        // a Kamelet's {{…}} are its own properties (KameletCatalogRulesTest checks those)
        for (Path route : RouteFiles.flows()) {
            String yaml = Files.readString(route);
            Set<String> templateParameters = matches(TEMPLATE_PARAMETER, yaml);
            matches(PLACEHOLDER, yaml).stream().filter(key -> !templateParameters.contains(key)).forEach(usedByRoutes::add);
        }
        Set<String> undefined = new TreeSet<>(usedByRoutes);
        undefined.removeAll(defined);
        assertEquals(Set.of(), undefined, "placeholders in routes/ with no key in application.properties");

        Set<String> used = new HashSet<>(usedByRoutes);
        used.addAll(matches(PLACEHOLDER, values));
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                used.addAll(matches(JAVA_STRING, Files.readString(source)));
            }
        }
        Set<String> unused = new TreeSet<>();
        for (String key : defined) {
            if (!used.contains(key) && FAMILIES.stream().noneMatch(key::startsWith)) {
                unused.add(key);
            }
        }
        assertEquals(Set.of(), unused, "keys in the properties files that nothing reads");
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
