package io.reportpipes.jobs;

/**
 * One window of a backfill: a run of its own, with the run id {@code backfill-<window>}, so that running
 * the same backfill again replaces its output instead of adding to it.
 *
 * @param range the whole backfill, e.g. "20240101-20240331 by 31 days": progress is kept per range
 */
public record BackfillStep(String range, DateWindow window) {

    public String runId() {
        return "backfill-" + window;
    }
}
