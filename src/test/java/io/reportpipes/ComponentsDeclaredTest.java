package io.reportpipes;

import io.reportpipes.testing.RouteFiles;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every component a route, a Kamelet, a manifest or a sink setting uses is declared: in the pom (Camel Main),
 * in the Integration's dependencies and in each Kamelet's (Camel K cannot infer components from dynamic URIs
 * such as the job's sink, nor from routes loaded out of a jar).
 */
class ComponentsDeclaredTest {

    private static final Pattern ENDPOINT = Pattern.compile("(?m)^\\s*-?\\s*(?:uri|to|toD):[ \\t]*\"?([a-z][a-z0-9-]*):");
    /** A vendor call: its URI starts with a base URL setting (http or https). */
    private static final Pattern VENDOR_CALL = Pattern.compile("(?m)^\\s*-?\\s*(?:uri|to|toD):[ \\t]*\"?\\{\\{[a-z.-]+base-url}}");
    private static final Pattern BEAN_STEP = Pattern.compile("(?m)^\\s*(?:-\\s*bean:|method:)");
    private static final Pattern JSON_STEP = Pattern.compile("(?m)^\\s*json:\\s*$");

    @Test
    void givenEveryRouteKameletManifestAndSink_thenEachComponentIsDeclaredWhereItRuns() throws Exception {
        Set<String> flows = new TreeSet<>();
        for (Path route : files(Path.of("routes"), ".camel.yaml")) {
            flows.addAll(components(Files.readString(route)));
        }
        Set<String> sinks = new TreeSet<>();
        for (String file : List.of("application.properties", "camel-main.properties", "deploy/camel-k/camel-k.properties",
                "src/main/resources/META-INF/microprofile-config.properties")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            }
            properties.stringPropertyNames().stream().filter(k -> k.matches("sink\\.[a-z0-9-]+\\.uri"))
                    .map(k -> properties.getProperty(k).split(":")[0]).forEach(sinks::add);
        }
        for (Path manifest : files(Path.of("deploy/camel-k"), ".yaml")) {
            String text = Files.readString(manifest);
            // a Pipe's sink given as a URI (the Integration's flows are routes, scanned above)
            Matcher sink = Pattern.compile("(?m)^\\s+uri:[ \\t]*\"?([a-z][a-z0-9-]*):")
                    .matcher(text.contains("\nkind: Pipe\n") ? text : "");
            while (sink.find()) {
                sinks.add(sink.group(1));
            }
        }
        assertTrue(flows.containsAll(Set.of("direct", "http", "quartz", "bean")), "the scan finds the flow: " + flows);
        assertTrue(sinks.containsAll(Set.of("file", "aws2-s3", "jms")), "the scan finds the sinks: " + sinks);

        List<String> missing = new ArrayList<>();
        String pom = Files.readString(Path.of("pom.xml"));
        Set<String> all = new TreeSet<>(flows);
        all.addAll(sinks);
        for (Path kamelet : RouteFiles.kamelets()) {
            all.addAll(components(template(kamelet)));
        }
        for (String component : all) {
            if (!pom.contains("<artifactId>camel-" + component + "</artifactId>")
                    && !pom.contains("<artifactId>camel-" + component + "-main</artifactId>")) {
                missing.add("pom.xml: camel-" + component);
            }
        }
        List<Object> integration = dependencies(Path.of("deploy/camel-k/integration.yaml"));
        Set<String> integrationNeeds = new TreeSet<>(flows);
        integrationNeeds.addAll(sinks);
        for (String component : integrationNeeds) {
            if (!integration.contains("camel:" + component)) {
                missing.add("deploy/camel-k/integration.yaml: camel:" + component);
            }
        }
        for (Path kamelet : RouteFiles.kamelets()) {
            // its template and the flow routes it drives; the sink is the Pipe's (a catalog Kamelet or a static URI)
            Set<String> needs = new TreeSet<>(flows);
            needs.addAll(components(template(kamelet)));
            List<Object> declared = dependencies(kamelet);
            for (String component : needs) {
                if (!declared.contains("camel:" + component)) {
                    missing.add(kamelet + ": camel:" + component);
                }
            }
        }
        assertEquals(List.of(), missing, "components used but not declared");
    }

    /** The components a YAML text uses: endpoint schemes, bean steps, the JSON data format. */
    static Set<String> components(String yaml) {
        Set<String> found = new TreeSet<>();
        Matcher endpoint = ENDPOINT.matcher(yaml);
        while (endpoint.find()) {
            found.add(endpoint.group(1));
        }
        if (VENDOR_CALL.matcher(yaml).find()) {
            found.add("http");
        }
        if (BEAN_STEP.matcher(yaml).find()) {
            found.add("bean");
        }
        if (JSON_STEP.matcher(yaml).find()) {
            found.add("jackson");
        }
        // the project's own (JobPagesComponent, in the jar), added to the context by ReportPipesConfiguration
        found.remove(io.reportpipes.jobs.JobPagesComponent.SCHEME);
        return found;
    }

    private static String template(Path kamelet) throws Exception {
        String text = Files.readString(kamelet);
        return text.substring(text.indexOf("\n  template:"));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> dependencies(Path manifest) throws Exception {
        Map<String, Object> yaml = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(manifest));
        return (List<Object>) ((Map<String, Object>) yaml.get("spec")).get("dependencies");
    }

    private static List<Path> files(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
