package io.reportpipes.state;

/**
 * What a job keeps between runs, as one small JSON file (or row) per job.
 *
 * @param watermark where the next incremental run starts from (Crewmojo: the last window's end date,
 *                  yyyymmdd), or null before the first successful run
 * @param lastRunId the run that set it
 * @param updatedAt when it was written (ISO-8601, UTC)
 */
public record Checkpoint(String watermark, String lastRunId, String updatedAt) {
}
