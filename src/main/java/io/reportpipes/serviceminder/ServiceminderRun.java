package io.reportpipes.serviceminder;

import io.reportpipes.jobs.BackfillStep;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.state.RunState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A run of a serviceminder job: the page cursor (RowId), the download in flight and, for an incremental
 * job, its UpdatedFrom and the watermark it sets once done.
 */
public final class ServiceminderRun extends JobRun {

    private final ServiceminderJob job;
    private final String updatedFrom;
    private final String startedAt;
    private long rowId;
    private java.util.List<String> columns;
    private String downloadId;
    private long downloadStartedNanos;
    private Instant downloadStartedAt;
    private boolean ready;
    private long pollDelayMillis;
    private int statusCalls;
    private boolean slotHeld;
    private long pageLastId = -1;
    private boolean morePages = true;
    /** The next page's run, fetching while this page is delivered; null when none is under way. */
    private ServiceminderRun ahead;
    /** For a run that fetches ahead: done when its fetch ended, well or not. */
    private final CompletableFuture<Void> fetched = new CompletableFuture<>();
    private boolean fetchingAhead;
    private volatile String fetchFailure;

    /**
     * @param resumed     the unfinished run to go on with, or null
     * @param updatedFrom a new incremental run's UpdatedFrom (null: all rows; ignored when resumed)
     * @param startedAt   a new run's start as the vendor writes dates: an incremental job's next watermark
     * @param backfill    the window a backfill run covers (by its creation dates), or null
     */
    public ServiceminderRun(ServiceminderJob job, Clock clock, RunState resumed, String updatedFrom, String startedAt,
                            BackfillStep backfill) {
        super("serviceminder", job.organisation(), job.kind(), job.sinkUri(), job.transform(), clock, resumed, backfill);
        this.job = job;
        if (resumed != null) {
            this.updatedFrom = resumed.windowFrom();
            this.startedAt = resumed.windowThrough();
            this.rowId = resumed.cursor();
            this.morePages = !resumed.pagesDone();
            if (resumed.handle() != null) {
                this.downloadId = resumed.handle();
                this.downloadStartedAt = Instant.parse(resumed.handleSince());
                // the poll deadline counts from the download's start, before the restart too
                this.downloadStartedNanos = System.nanoTime()
                        - Duration.between(downloadStartedAt, clock.instant()).toNanos();
            }
        } else {
            this.updatedFrom = updatedFrom;
            this.startedAt = startedAt;
        }
    }

    public ServiceminderJob getJob() {
        return job;
    }

    public long getRowId() {
        return rowId;
    }

    public String getDownloadId() {
        return downloadId;
    }

    /** The download in flight, started by this run or by the process before a restart. */
    public boolean isDownloadInFlight() {
        return downloadId != null;
    }

    /** The vendor no longer knows the download a restart resumed: the page starts again. */
    void downloadLost() {
        this.downloadId = null;
    }

    /** UpdatedFrom of an incremental run, or null. */
    public String getUpdatedFrom() {
        return updatedFrom;
    }

    public void downloadStarted(String downloadId) {
        this.downloadId = downloadId;
        this.downloadStartedNanos = System.nanoTime();
        this.downloadStartedAt = clock().instant();
        this.ready = false;
        this.statusCalls = 0;
    }

    public long getDownloadStartedNanos() {
        return downloadStartedNanos;
    }

    public boolean isReady() {
        return ready;
    }

    public void statusAnswered(boolean ready) {
        this.ready = ready;
        this.statusCalls++;
    }

    public int getStatusCalls() {
        return statusCalls;
    }

    public long getPollDelayMillis() {
        return pollDelayMillis;
    }

    public void setPollDelayMillis(long pollDelayMillis) {
        this.pollDelayMillis = pollDelayMillis;
    }

    boolean isSlotHeld() {
        return slotHeld;
    }

    void setSlotHeld(boolean slotHeld) {
        this.slotHeld = slotHeld;
    }

    public long getPageLastId() {
        return pageLastId;
    }

    void setPageLastId(long pageLastId) {
        this.pageLastId = pageLastId;
    }

    /** The RowId of the next page to download, null once the last page is delivered. */
    public Long getNextRowId() {
        return morePages ? rowId : null;
    }

    /** The page was delivered: the run goes on at {@code next} (the routes' cursor), or is done when it is null. */
    void advance(Long next) {
        morePages = next != null;
        if (next != null) {
            rowId = next;
        }
        downloadId = null;
        pageDelivered();
    }

    /**
     * A run at the next page ({@code next}), as this one will be once its page is delivered, to fetch that page
     * meanwhile; it never saves a checkpoint (this run's page is not committed yet).
     */
    ServiceminderRun fetchAhead(long next) {
        RunState now = toState();
        ahead = new ServiceminderRun(job, clock(), new RunState(now.runId(), now.windowFrom(), now.windowThrough(),
                now.pages() + 1, now.rows() + getPageRows(), now.bytes() + getPageBytes(), next, false, null,
                null, now.backfillRange(), now.backfillWindow()), null, null, null);
        ahead.columns = columns;
        ahead.fetchingAhead = true;
        return ahead;
    }

    // the reason, not the exception: Camel's bean introspection (which the routes' ${exchangeProperty.jobRun.x}
    // expressions use) caches a class with a method taking an Exception per instance, i.e. introspects every run anew
    void fetchFailed(String reason) {
        fetchFailure = reason;
    }

    void fetchEnded() {
        fetched.complete(null);
    }

    /** Why the fetch ahead failed, or null. */
    String getFetchFailure() {
        return fetchFailure;
    }

    /** Waits for the fetch ahead, if one is under way, and hands its run over (null if none). */
    ServiceminderRun takeAhead() {
        ServiceminderRun next = ahead;
        ahead = null;
        if (next != null) {
            next.fetched.join();
        }
        return next;
    }

    /**
     * After this page was delivered: takes what the fetch ahead got as far as it got, its page spooled,
     * else its download in flight (and the slot that counts it), else nothing.
     */
    void adopt(ServiceminderRun next) {
        if (next.rowId != rowId) {
            throw new IllegalStateException("fetched ahead from RowId " + next.rowId + ", the run is at " + rowId);
        }
        if (next.downloadId != null) {
            downloadId = next.downloadId;
            downloadStartedNanos = next.downloadStartedNanos;
            downloadStartedAt = next.downloadStartedAt;
            ready = next.ready;
            statusCalls = next.statusCalls;
        }
        slotHeld = next.slotHeld;
        next.slotHeld = false;
        if (next.getPageFile() != null) {
            pageSpooled(next.getPageFile(), next.getPageRows(), next.getPageBytes());
            pageLastId = next.pageLastId;
            columns = next.columns;
        }
    }

    /** Whether this run fetches a page ahead of the one being delivered (so it saves no checkpoint). */
    public boolean isFetchingAhead() {
        return fetchingAhead;
    }

    @Override
    public boolean isPagesDone() {
        return !morePages;
    }

    @Override
    protected long cursor() {
        return rowId;
    }

    @Override
    protected String handle() {
        return downloadId;
    }

    @Override
    protected String handleSince() {
        return downloadId == null ? null : downloadStartedAt.toString();
    }

    @Override
    protected String windowFrom() {
        return updatedFrom;
    }

    @Override
    protected String windowThrough() {
        return startedAt;
    }

    /** An incremental run's start: the next run's UpdatedFrom comes from it. */
    @Override
    public String getWatermark() {
        return job.incremental() && getBackfill() == null ? startedAt : null;
    }

    /** The columns of the run's pages (null until a page was read). */
    public java.util.List<String> getColumns() {
        return columns;
    }

    public void setColumns(java.util.List<String> columns) {
        this.columns = columns;
    }

    @Override
    protected String accountLabel() {
        return "organisation";
    }

    @Override
    protected String reportLabel() {
        return "kind";
    }
}
