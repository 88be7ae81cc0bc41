package io.reportpipes.delivery;

import io.reportpipes.jobs.Transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.serviceminder.ServiceminderJob;
import io.reportpipes.serviceminder.ServiceminderRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordBatchesTest {

    @TempDir
    Path dir;

    private List<RecordBatches.Batch> batches(int size, int records) throws Exception {
        Transform transform = new Transform("r", "json-records", List.of(), Map.of(), List.of(),
                DateTimeFormatter.ISO_LOCAL_DATE, false, size);
        ServiceminderRun run = new ServiceminderRun(new ServiceminderJob("org", "k", 1, "contacts", Map.of(), "",
                "file:out", transform, false), Clock.systemUTC(), null, null, null, null);
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= records; i++) {
            lines.append("{\"Id\":\"").append(i).append("\",\"Note\":\"a\\nb, \\\"c\\\"\"}\n");
        }
        Path page = Files.writeString(dir.resolve("page.jsonl"), lines);
        run.pageSpooled(page, records, Files.size(page));
        List<RecordBatches.Batch> batches = new ArrayList<>();
        new RecordBatches().batches(run).forEachRemaining(batches::add);
        return batches;
    }

    @Test
    void givenBatchesOfThree_whenCut_thenJsonArraysOfThreeAndTheRest() throws Exception {
        List<RecordBatches.Batch> batches = batches(3, 7);

        assertEquals(List.of(1, 2, 3), batches.stream().map(RecordBatches.Batch::number).toList());
        assertEquals(List.of(3, 3, 1), batches.stream().map(RecordBatches.Batch::rows).toList());
        var second = new ObjectMapper().readTree(batches.get(1).json());
        assertEquals(3, second.size());
        assertEquals("4", second.get(0).get("Id").asText());
        assertEquals("a\nb, \"c\"", second.get(0).get("Note").asText());
    }

    @Test
    void givenBatchesOfOne_whenCut_thenEachMessageIsTheRecordItself() throws Exception {
        List<RecordBatches.Batch> batches = batches(1, 2);

        assertEquals(2, batches.size());
        assertEquals("2", new ObjectMapper().readTree(batches.get(1).json()).get("Id").asText());
    }

    @Test
    void givenAnEmptyPage_whenCut_thenNoMessage() throws Exception {
        assertEquals(List.of(), batches(10, 0));
    }
}
