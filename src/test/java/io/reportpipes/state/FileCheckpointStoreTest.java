package io.reportpipes.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileCheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void givenNoCheckpoint_whenLoading_thenEmpty() throws Exception {
        assertEquals(Optional.empty(), new FileCheckpointStore(dir).load("crewmojo/hr/goals.progress"));
    }

    @Test
    void givenASavedCheckpoint_whenReplaced_thenTheLatestIsReadBackFromAReadableFileAndNoTempFileRemains() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        store.save("crewmojo/hr/goals.progress", new Checkpoint("20260101", "run-1", "2026-01-02T00:00:00Z"));
        store.save("crewmojo/hr/goals.progress", new Checkpoint("20260102", "run-2", "2026-01-03T00:00:00Z"));

        assertEquals(Optional.of(new Checkpoint("20260102", "run-2", "2026-01-03T00:00:00Z")),
                store.load("crewmojo/hr/goals.progress"));
        Path file = dir.resolve("crewmojo/hr/goals.progress.json");
        assertTrue(Files.readString(file).contains("\"watermark\" : \"20260102\""), "human-readable JSON");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void givenACorruptCheckpoint_whenLoading_thenTheErrorNamesTheFileAndWhatToDo() throws Exception {
        Path file = dir.resolve("crewmojo/hr/goals.progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"watermark\": ");

        IOException error = assertThrows(IOException.class, () -> new FileCheckpointStore(dir).load("crewmojo/hr/goals.progress"));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("fix or delete it"), error.getMessage());
        assertFalse(error.getMessage().contains("{\"watermark\""), "does not dump the content");
    }
}
