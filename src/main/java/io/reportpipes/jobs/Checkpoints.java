package io.reportpipes.jobs;

import io.reportpipes.state.CheckpointStore;
import io.reportpipes.state.RunSupersededException;
import io.reportpipes.state.Checkpoint;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs' checkpoints as the routes and beans use them: read a watermark, move it once a run is delivered. */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private final CheckpointStore store;
    private final Clock clock;
    // what this process last read or wrote for each job: a run's saves keep its job's watermark and backfill
    // without reading them back (a job runs once at a time, and its run starts with load, from the store)
    private final Map<String, Checkpoint> lastKnown = new ConcurrentHashMap<>();
    // the epoch this process's run of each job holds (fenced stores; 0 for files)
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();

    public Checkpoints(CheckpointStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The job's checkpoint, {@link Checkpoint#NONE} before its first run. */
    public Checkpoint load(String jobId) throws IOException {
        Checkpoint checkpoint = store.load(jobId).orElse(Checkpoint.NONE);
        lastKnown.put(jobId, checkpoint);
        return checkpoint;
    }

    /**
     * Takes the job for a run that starts or resumes now: its checkpoint, read from the store. With a fencing store,
     * a run of it elsewhere (on a node that was paused or cut off) can save nothing from now on.
     */
    public Checkpoint begin(String jobId) throws IOException {
        CheckpointStore.Claim claim = store.claim(jobId);
        lastKnown.put(jobId, claim.checkpoint());
        epochs.put(jobId, claim.epoch());
        return claim.checkpoint();
    }

    /** The fencing epoch this process's run of the job holds (0: not fenced, or no run begun here). */
    public long epoch(String jobId) {
        return epochs.getOrDefault(jobId, 0L);
    }

    /** Before anything is delivered: stops a run that another node has taken over since ({@link RunSupersededException}). */
    public void requireCurrent(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        store.requireEpoch(run.getJobId(), epoch(run.getJobId()));
    }

    /**
     * Records how far the run is, as the sink has committed it: called when a vendor request is in flight
     * and after each page. A process killed after this goes on from here.
     */
    public void save(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        Checkpoint previous = previous(run.getJobId());
        write(run.getJobId(), new Checkpoint(previous.watermark(), previous.lastRunId(), clock.instant().toString(),
                run.toState(), previous.backfill()));
    }

    /**
     * The run's done marker is written: the run is over (a restart starts a new one); its watermark, if
     * it has one, becomes the next run's start; a backfill window counts as done.
     */
    public void runCompleted(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        Checkpoint previous = previous(run.getJobId());
        String watermark = run.getWatermark();
        BackfillStep step = run.getBackfill();
        Checkpoint.Backfill backfill = step == null ? previous.backfill()
                : new Checkpoint.Backfill(step.range(), Integer.toString(step.window().endNumber()));
        write(run.getJobId(), new Checkpoint(watermark != null ? watermark : previous.watermark(), run.getRunId(),
                clock.instant().toString(), null, backfill));
        if (watermark != null) {
            LOG.info("{}: watermark moved to {}", run.getJobId(), watermark);
        }
    }

    private Checkpoint previous(String jobId) throws IOException {
        Checkpoint known = lastKnown.get(jobId);
        return known != null ? known : load(jobId);
    }

    private void write(String jobId, Checkpoint checkpoint) throws IOException {
        store.save(jobId, checkpoint, epoch(jobId));
        lastKnown.put(jobId, checkpoint);
    }
}
