package io.reportpipes.state;

/**
 * A run's checkpoint epoch is no longer its job's: another node took the job over (this one was paused or cut off
 * long enough for its run to be recovered elsewhere). Not retried: the run stops and delivers nothing more.
 */
public final class RunSupersededException extends RuntimeException {

    public RunSupersededException(String jobId, long epoch) {
        super(jobId + ": this run (checkpoint epoch " + epoch + ") was taken over by another node; it stops here and "
                + "delivers nothing more, the other node goes on with it");
    }
}
