package io.reportpipes;

import io.reportpipes.testing.RouteFiles;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Our Kamelets follow the official catalog's rules; each broken rule is reported with the Kamelet and the
 * property it concerns.
 */
class KameletCatalogRulesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z0-9_.-]+)(?::[^}]*)?}}");
    private static final Pattern CREDENTIAL = Pattern.compile("(?i).*(key|secret|password|token).*");
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "object", "array");
    /** Parameters Camel gives every Kamelet route. */
    private static final Set<String> IMPLICIT = Set.of("routeId", "templateId");

    @Test
    void givenOurKamelets_thenEachFollowsTheCatalogRules() throws Exception {
        List<Path> kamelets = RouteFiles.kamelets();
        assertEquals(List.of("crewmojo-report-source.kamelet.yaml", "serviceminder-download-source.kamelet.yaml"),
                kamelets.stream().map(f -> f.getFileName().toString()).toList());
        List<String> broken = new ArrayList<>();
        for (Path file : kamelets) {
            broken.addAll(check(file));
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void givenAKameletWithABrokenRule_thenTheCheckNamesTheProperty() throws Exception {
        String text = Files.readString(Path.of("routes/serviceminder-download-source.kamelet.yaml"))
                .replace("        format: password\n", "")
                .replace("kind: \"{{kind}}\"", "kind: \"{{kindName}}\"")
                .replace("        - to: kamelet:sink\n", "        - to: direct:run-job\n        - stop: {}\n");
        Path copy = Files.createTempDirectory("kamelet").resolve("serviceminder-download-source.kamelet.yaml");
        Files.writeString(copy, text);

        List<String> broken = check(copy);

        assertEquals(List.of(
                "serviceminder-download-source: property apiKey is a credential: format password and x-descriptor "
                        + "urn:camel:group:credentials",
                "serviceminder-download-source: property kind is declared but the template does not use it",
                "serviceminder-download-source: the template uses {{kindName}}, which is not a declared property",
                "serviceminder-download-source: the template's last step must be 'to: kamelet:sink', not {stop={}}"),
                broken);
    }

    @SuppressWarnings("unchecked")
    static List<String> check(Path file) throws Exception {
        String text = Files.readString(file);
        Map<String, Object> kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        Map<String, Object> metadata = (Map<String, Object>) kamelet.get("metadata");
        String name = String.valueOf(metadata.get("name"));
        List<String> broken = new ArrayList<>();
        String at = name + ": ";
        if (!file.getFileName().toString().equals(name + ".kamelet.yaml")) {
            broken.add(at + "the file must be named " + name + ".kamelet.yaml");
        }
        if (!"camel.apache.org/v1".equals(kamelet.get("apiVersion")) || !"Kamelet".equals(kamelet.get("kind"))) {
            broken.add(at + "apiVersion camel.apache.org/v1 and kind Kamelet");
        }
        Map<String, Object> labels = (Map<String, Object>) metadata.getOrDefault("labels", Map.of());
        if (!"source".equals(labels.get("camel.apache.org/kamelet.type"))) {
            broken.add(at + "label camel.apache.org/kamelet.type: source");
        }
        Map<String, Object> spec = (Map<String, Object>) kamelet.get("spec");
        Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
        for (String field : List.of("title", "description")) {
            if (isBlank(definition.get(field))) {
                broken.add(at + "definition." + field + " is missing");
            }
        }
        if (!"object".equals(definition.get("type"))) {
            broken.add(at + "definition.type must be object");
        }
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) definition.get("properties");
        for (Object required : (List<Object>) definition.getOrDefault("required", List.of())) {
            if (!properties.containsKey(String.valueOf(required))) {
                broken.add(at + "required lists " + required + ", which is not a property");
            }
        }
        properties.forEach((property, schema) -> {
            for (String field : List.of("title", "description", "type")) {
                if (isBlank(schema.get(field))) {
                    broken.add(at + "property " + property + " has no " + field);
                }
            }
            if (schema.get("type") != null && !TYPES.contains(String.valueOf(schema.get("type")))) {
                broken.add(at + "property " + property + " has type " + schema.get("type") + ", not a JSON schema type");
            }
            boolean password = "password".equals(schema.get("format"));
            boolean credentialsGroup = ((List<Object>) schema.getOrDefault("x-descriptors", List.of()))
                    .contains("urn:camel:group:credentials");
            if ((CREDENTIAL.matcher(property).matches() || password || credentialsGroup)
                    && !(password && credentialsGroup)) {
                broken.add(at + "property " + property + " is a credential: format password and x-descriptor "
                        + "urn:camel:group:credentials");
            }
        });
        Map<String, Object> out = (Map<String, Object>) ((Map<String, Object>) spec.getOrDefault("dataTypes", Map.of()))
                .get("out");
        if (out == null || !(out.get("types") instanceof Map<?, ?> types) || types.isEmpty()
                || !types.containsKey(out.get("default"))) {
            broken.add(at + "dataTypes.out must list the types that come out, its default among them");
        } else {
            types.forEach((type, schema) -> {
                Map<String, Object> described = (Map<String, Object>) schema;
                if (isBlank(described.get("format")) || isBlank(described.get("mediaType"))
                        || isBlank(described.get("description"))) {
                    broken.add(at + "data type " + type + " needs format, description and mediaType");
                }
            });
        }
        List<Object> dependencies = (List<Object>) spec.getOrDefault("dependencies", List.of());
        for (String needed : List.of("camel:kamelet", "mvn:io.reportpipes:report-pipes:" + ProjectFiles.version())) {
            if (!dependencies.contains(needed)) {
                broken.add(at + "dependencies must list " + needed);
            }
        }

        // declared <=> used: the template's {{…}} are its properties, Camel's implicit ones, or its own beans
        String template = text.substring(text.indexOf("\n  template:"));
        Set<String> beans = new TreeSet<>();
        for (Object bean : (List<Object>) ((Map<String, Object>) spec.get("template")).getOrDefault("beans", List.of())) {
            beans.add(String.valueOf(((Map<String, Object>) bean).get("name")));
        }
        Set<String> used = new TreeSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }
        used.removeAll(IMPLICIT);
        used.removeAll(beans);
        for (String property : new TreeSet<>(properties.keySet())) {
            if (!used.contains(property)) {
                broken.add(at + "property " + property + " is declared but the template does not use it");
            }
        }
        for (String placeholderName : used) {
            if (!properties.containsKey(placeholderName)) {
                broken.add(at + "the template uses {{" + placeholderName + "}}, which is not a declared property");
            }
        }
        assertFalse(template.isBlank(), at + "no template");

        // the catalog's shape: from -> steps -> kamelet:sink, the messages leaving through the template's last step
        Map<String, Object> from = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("from");
        List<Object> steps = from == null ? List.of() : (List<Object>) from.getOrDefault("steps", List.of());
        Object last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        if (!(last instanceof Map<?, ?> step) || !"kamelet:sink".equals(step.get("to"))) {
            broken.add(at + "the template's last step must be 'to: kamelet:sink', not " + last);
        }
        return broken;
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }
}
