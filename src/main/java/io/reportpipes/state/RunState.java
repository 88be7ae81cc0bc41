package io.reportpipes.state;

/**
 * An unfinished run as far as its sink has committed it: what a restart needs to go on with the same
 * run (same run id, so a page delivered again lands under the same key) instead of starting over.
 *
 * @param windowFrom    the run's lower bound, fixed at its start (serviceminder UpdatedFrom, Crewmojo startDate), or null
 * @param windowThrough the run's upper bound (the next watermark of an incremental run), or null
 * @param pages         pages committed by the sink
 * @param cursor        where the next page starts (serviceminder: its RowId)
 * @param pagesDone     every page is committed: only the done marker is left
 * @param handle        the vendor's handle of the request in flight (serviceminder DownloadId, Crewmojo jobId), or null
 * @param handleSince   when that request was made (ISO-8601), for Crewmojo's jobId expiry
 * @param backfillRange  the backfill this run is a window of, or null
 * @param backfillWindow that window (yyyymmdd-yyyymmdd), or null
 */
public record RunState(String runId, String windowFrom, String windowThrough, int pages, long rows, long bytes,
                       long cursor, boolean pagesDone, String handle, String handleSince, String backfillRange,
                       String backfillWindow) {
}
