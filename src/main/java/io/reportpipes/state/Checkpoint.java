package io.reportpipes.state;

/**
 * What a job keeps between runs, as one small JSON file (or row) per job.
 *
 * @param watermark where the next incremental run starts from (serviceminder: the last run's start, as
 *                  its UpdatedFrom is written; Crewmojo: the last window's end date, yyyymmdd), or null
 * @param lastRunId the last run that completed (its done marker written)
 * @param updatedAt when it was written (ISO-8601, UTC)
 * @param run       the unfinished run a restart resumes, or null
 * @param backfill  how far the last backfill got, or null
 */
public record Checkpoint(String watermark, String lastRunId, String updatedAt, RunState run, Backfill backfill) {

    public static final Checkpoint NONE = new Checkpoint(null, null, null, null, null);

    /** A backfill's progress: its windows up to {@code doneThrough} (yyyymmdd) are delivered. */
    public record Backfill(String range, String doneThrough) {
    }
}
