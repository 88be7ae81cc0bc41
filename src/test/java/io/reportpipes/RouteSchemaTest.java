package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.reportpipes.testing.RouteFiles;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route file is valid against the JSON schema of the YAML DSL that Camel 4.17 ships (the one Kaoto, Karavan
 * and editors use): a file they flag is a file a team cannot edit with them. A property placeholder where the
 * schema wants a number or a boolean is fine (Camel resolves it first).
 */
class RouteSchemaTest {

    private static final Pattern PLACEHOLDER = Pattern.compile(".*\\{\\{.+}}.*");

    @Test
    void givenTheRouteFiles_whenCheckedAgainstTheYamlDslSchema_thenNoneHasAnError() throws Exception {
        Schema schema;
        try (InputStream json = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            assertTrue(json != null, "camel-yaml-dsl ships schema/camelYamlDsl.json");
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(json);
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> errors = new ArrayList<>();
        int files = 0;
        for (Path file : RouteFiles.flows()) {
            files++;
            JsonNode routesFile = mapper.valueToTree(RouteFiles.yaml(file));
            for (Error error : schema.validate(routesFile)) {
                JsonNode value = routesFile.at(error.getInstanceLocation().toString());
                if (!(value.isTextual() && PLACEHOLDER.matcher(value.asText()).matches())) {
                    errors.add(file.getFileName() + " " + error.getInstanceLocation() + ": " + error.getMessage());
                }
            }
        }
        assertTrue(files >= 5, files + " route files");
        assertEquals(List.of(), errors);
    }
}
