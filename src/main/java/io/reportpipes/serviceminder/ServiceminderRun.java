package io.reportpipes.serviceminder;

import io.reportpipes.jobs.JobRun;

import java.time.Clock;

/** A run of a serviceminder job: the page cursor (RowId) and the download in flight. */
public final class ServiceminderRun extends JobRun {

    private final ServiceminderJob job;
    private long rowId;
    private String downloadId;
    private long downloadStartedNanos;
    private boolean ready;
    private long pollDelayMillis;
    private int statusCalls;
    private boolean slotHeld;
    private long pageLastId = -1;
    private boolean morePages = true;

    public ServiceminderRun(ServiceminderJob job, Clock clock) {
        super("serviceminder", job.organisation(), job.kind(), job.sinkUri(), job.transform(), clock);
        this.job = job;
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

    public void downloadStarted(String downloadId) {
        this.downloadId = downloadId;
        this.downloadStartedNanos = System.nanoTime();
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

    public boolean isMorePages() {
        return morePages;
    }

    /**
     * The page was delivered: the next page starts after its highest Id; a page with fewer rows than
     * the vendor's limit (none included) is the last.
     */
    void advance(int pageLimit) {
        morePages = getPageRows() >= pageLimit;
        if (getPageRows() > 0) {
            rowId = pageLastId + 1;
        }
        pageDelivered();
    }
}
