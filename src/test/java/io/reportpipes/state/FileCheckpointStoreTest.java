package io.reportpipes.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        RunState unfinished = new RunState("run-3", "20260103", "20260104", 0, 0, 0, 0, false, "job-7",
                "2026-01-05T00:00:00Z", null, null);
        store.save("crewmojo/hr/goals.progress", new Checkpoint("20260101", "run-1", "2026-01-02T00:00:00Z", null, null));
        store.save("crewmojo/hr/goals.progress", new Checkpoint("20260102", "run-2", "2026-01-03T00:00:00Z", unfinished, null));

        assertEquals(Optional.of(new Checkpoint("20260102", "run-2", "2026-01-03T00:00:00Z", unfinished, null)),
                store.load("crewmojo/hr/goals.progress"));
        Path file = dir.resolve("crewmojo/hr/goals.progress.json");
        assertTrue(Files.readString(file).contains("\"watermark\" : \"20260102\""), "human-readable JSON");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void givenAProcessKilledHalfWayThroughASave_whenLoaded_thenTheLastWholeCheckpointIsReadAndTheNextSaveWorks()
            throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint whole = new Checkpoint("20260101", "run-1", "t", null, null);
        store.save("crewmojo/hr/goals.progress", whole);
        // what a kill between writing the temporary file and renaming it leaves behind
        Files.writeString(dir.resolve("crewmojo/hr/.goals.progress.json.tmp"), "{\"watermark\" : \"2026");

        assertEquals(Optional.of(whole), store.load("crewmojo/hr/goals.progress"));
        Checkpoint next = new Checkpoint("20260102", "run-2", "t", null, null);
        store.save("crewmojo/hr/goals.progress", next);
        assertEquals(Optional.of(next), store.load("crewmojo/hr/goals.progress"));
    }

    @Test
    void givenManyJobsSavingAtOnce_whenLoaded_thenEachHasItsOwnLastCheckpoint() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int job = 0; job < 8; job++) {
            String jobId = "serviceminder/org-" + job + "/contacts";
            jobs.add(() -> {
                for (int page = 1; page <= 50; page++) {
                    store.save(jobId, new Checkpoint(null, null, null,
                            new RunState("run", null, null, page, page * 10L, 0, page * 100L, false, null, null, null, null), null));
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Void> done : pool.invokeAll(jobs)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }

        for (int job = 0; job < 8; job++) {
            RunState run = store.load("serviceminder/org-" + job + "/contacts").orElseThrow().run();
            assertEquals(50, run.pages());
            assertEquals(5000, run.cursor());
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
