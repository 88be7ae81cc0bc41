package io.reportpipes.delivery;

import io.reportpipes.jobs.Transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.delivery.PageSpooler.SpooledPage;
import io.reportpipes.jobs.PermanentJobException;
import io.reportpipes.serviceminder.ServiceminderJob;
import io.reportpipes.serviceminder.ServiceminderRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTransformerTest {

    private static final String PAGE = "Id,Name,Notes,CreatedDate\r\n"
            + "7,Zoë,\"a, \"\"b\"\"\r\nsecond line\",01/31/2024 13:05:09\r\n"
            + "9,Łukasz,,\r\n";
    private static final DateTimeFormatter US = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dir;

    private ServiceminderRun run(Transform transform) {
        return new ServiceminderRun(new ServiceminderJob("org", "k", 1, "contacts", Map.of(), "",
                "file:out", transform, false), Clock.systemUTC(), null, null, null, null);
    }

    /** Spools a page as the run's transform writes it; the run then holds the spool file, as after a fetch. */
    private void spool(ServiceminderRun run, String page) throws Exception {
        SpooledPage spooled = new PageSpooler(dir).spool(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)),
                "test page", null, 0, 25_000, null, run);
        run.pageSpooled(spooled.file(), spooled.rows(), spooled.bytes());
    }

    @Test
    void givenJsonLines_whenTransformed_thenOneObjectPerRowKeyedByColumn() throws Exception {
        ServiceminderRun run = run(new Transform("j", "jsonl", List.of(), Map.of(), List.of(), US, false, 1));

        spool(run, PAGE);

        List<String> lines = Files.readAllLines(run.getPageFile(), StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("7", first.get("Id").asText());
        assertEquals("Zoë", first.get("Name").asText());
        assertEquals("a, \"b\"\r\nsecond line", first.get("Notes").asText());
        assertEquals("Łukasz", json.readTree(lines.get(1)).get("Name").asText());
        assertTrue(run.getPageFile().toString().endsWith(".jsonl"));
        assertEquals(Files.size(run.getPageFile()), run.getPageBytes(), "the bytes the sink gets");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(run.getPageFile()), files.toList(), "the page read once: no CSV copy on disk");
        }
    }

    @Test
    void givenColumnWork_whenTransformedToCsv_thenSelectedRenamedIsoDatedWithRunColumns() throws Exception {
        ServiceminderRun run = run(new Transform("c", "csv", List.of("Id", "CreatedDate"),
                Map.of("CreatedDate", "created_at"), List.of("CreatedDate"), US, true, 1));

        spool(run, PAGE);

        List<String> lines = Files.readAllLines(run.getPageFile(), StandardCharsets.UTF_8);
        assertEquals("Id,created_at,_vendor,_organisation,_kind,_run", lines.get(0));
        assertEquals("7,2024-01-31T13:05:09,serviceminder,org,contacts," + run.getRunId(), lines.get(1));
        assertEquals("9,,serviceminder,org,contacts," + run.getRunId(), lines.get(2));
    }

    @Test
    void givenYyyymmddDates_whenTransformed_thenIsoDates() throws Exception {
        ServiceminderRun run = run(new Transform("y", "jsonl", List.of("Id", "Day"), Map.of(), List.of("Day"),
                DateTimeFormatter.ofPattern("yyyyMMdd"), false, 1));

        spool(run, "Id,Day\r\n1,20240131\r\n2,\r\n");

        List<String> lines = Files.readAllLines(run.getPageFile(), StandardCharsets.UTF_8);
        assertEquals("{\"Id\":\"1\",\"Day\":\"2024-01-31\"}", lines.get(0));
        assertEquals("{\"Id\":\"2\",\"Day\":\"\"}", lines.get(1));
    }

    @Test
    void givenADateThatDoesNotMatch_whenTransformed_thenTheJobFailsNamingRecordAndColumn() throws Exception {
        ServiceminderRun run = run(new Transform("d", "jsonl", List.of(), Map.of(), List.of("CreatedDate"),
                DateTimeFormatter.ofPattern("yyyyMMdd"), false, 1));

        String message = assertThrows(PermanentJobException.class, () -> spool(run, PAGE)).getMessage();

        assertTrue(message.contains("record 2 column CreatedDate value '01/31/2024 13:05:09'"), message);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no half-written output left");
        }
    }
}
