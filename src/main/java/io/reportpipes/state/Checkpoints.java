package io.reportpipes.state;

import io.reportpipes.jobs.JobRun;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/** The jobs' checkpoints as the routes and beans use them: read a watermark, move it once a run is delivered. */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private final CheckpointStore store;
    private final Clock clock;

    public Checkpoints(CheckpointStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Optional<String> watermark(String jobId) throws IOException {
        return store.load(jobId).map(Checkpoint::watermark);
    }

    /** The run's done marker is written: its watermark (if it has one) becomes the next run's start. */
    public void runCompleted(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        String watermark = run.getWatermark();
        if (watermark != null) {
            store.save(run.getJobId(), new Checkpoint(watermark, run.getRunId(), clock.instant().toString()));
            LOG.info("{}: watermark moved to {}", run.getJobId(), watermark);
        }
    }
}
