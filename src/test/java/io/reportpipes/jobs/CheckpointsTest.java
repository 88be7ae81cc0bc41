package io.reportpipes.jobs;

import io.reportpipes.state.CheckpointStore;
import io.reportpipes.state.Checkpoint;
import io.reportpipes.state.FileCheckpointStore;

import io.reportpipes.serviceminder.ServiceminderJob;
import io.reportpipes.serviceminder.ServiceminderRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CheckpointsTest {

    private static final String JOB = "serviceminder/north/contacts";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T02:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A file store that counts its reads. */
    private final class CountingStore implements CheckpointStore {
        final FileCheckpointStore files = new FileCheckpointStore(dir);
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public Optional<Checkpoint> load(String jobId) throws IOException {
            loads.incrementAndGet();
            return files.load(jobId);
        }

        @Override
        public void save(String jobId, Checkpoint checkpoint, long epoch) throws IOException {
            files.save(jobId, checkpoint, epoch);
        }

        @Override
        public void probe() {
        }
    }

    @Test
    void givenARunOfAnIncrementalJob_whenItSavesAndCompletes_thenItsWatermarkAndBackfillStayAndTheStoreIsReadOnce()
            throws Exception {
        CountingStore store = new CountingStore();
        Checkpoint.Backfill backfill = new Checkpoint.Backfill("20260101-20260131", "20260131");
        store.files.save(JOB, new Checkpoint("11/23/2026 02:00:00", "run-1", "2026-11-23T02:05:00Z", null, backfill));
        Checkpoints checkpoints = new Checkpoints(store, CLOCK);

        checkpoints.begin(JOB); // as a run begins
        ServiceminderRun run = new ServiceminderRun(new ServiceminderJob("north", "key", 7, "contacts", Map.of(), null,
                "file:out", null, true), CLOCK, null, "11/23/2026 02:00:00", "11/24/2026 02:00:00", null);
        checkpoints.save(run);
        Checkpoint midRun = store.files.load(JOB).orElseThrow();
        assertEquals("11/23/2026 02:00:00", midRun.watermark(), "a save keeps the last run's watermark");
        assertEquals(backfill, midRun.backfill(), "and its backfill");
        assertEquals(run.getRunId(), midRun.run().runId());

        checkpoints.save(run);
        checkpoints.runCompleted(run);
        Checkpoint done = store.files.load(JOB).orElseThrow();
        assertEquals("11/24/2026 02:00:00", done.watermark(), "the completed run moves the watermark");
        assertEquals(backfill, done.backfill());
        assertEquals(run.getRunId(), done.lastRunId());
        assertNull(done.run());
        assertEquals(1, store.loads.get(), "the run's saves do not read the checkpoint back");
    }

    @Test
    void givenNoLoadInThisProcess_whenARunSaves_thenTheStoredCheckpointIsReadFirst() throws Exception {
        CountingStore store = new CountingStore();
        store.files.save(JOB, new Checkpoint("11/23/2026 02:00:00", "run-1", "2026-11-23T02:05:00Z", null, null));
        Checkpoints checkpoints = new Checkpoints(store, CLOCK);
        ServiceminderRun run = new ServiceminderRun(new ServiceminderJob("north", "key", 7, "contacts", Map.of(), null,
                "file:out", null, true), CLOCK, null, "11/23/2026 02:00:00", "11/24/2026 02:00:00", null);

        checkpoints.save(run);

        assertEquals("11/23/2026 02:00:00", store.files.load(JOB).orElseThrow().watermark());
    }
}
