package io.reportpipes.crewmojo;

import io.reportpipes.jobs.JobRun;

import java.time.Clock;
import java.util.Map;

/**
 * A run of a Crewmojo job: its date window, the report request in flight (its jobId and when it was
 * requested) and how many requests were abandoned. A report is one page.
 */
public final class CrewmojoRun extends JobRun {

    private final CrewmojoJob job;
    private final ReportWindow.Dates dates;
    private boolean dataPending = true;
    private String reportJobId;
    private long requestedAtNanos;
    private long pollDelayMillis;
    private int polls;
    private int abandoned;
    private String tokenInUse;
    private boolean tokenRefreshed;

    public CrewmojoRun(CrewmojoJob job, ReportWindow.Dates dates, Clock clock) {
        super("crewmojo", job.client().name(), job.report(), job.sinkUri(), job.transform(), clock);
        this.job = job;
        this.dates = dates;
        this.dataPending = dates == null || !dates.isEmpty();
    }

    public CrewmojoJob getJob() {
        return job;
    }

    /** The window's dates, or null for the whole report. */
    public ReportWindow.Dates getDates() {
        return dates;
    }

    /** The dates as a log line shows them: "all" or yyyymmdd-yyyymmdd. */
    public String getDatesText() {
        return dates == null ? "all" : dates.toString();
    }

    /** An incremental window that would start after yesterday: nothing to ask for. */
    public boolean isUpToDate() {
        return dates != null && dates.isEmpty();
    }

    /** True until the report's data is spooled: each pass requests the report (again) and polls its jobId. */
    public boolean isDataPending() {
        return dataPending;
    }

    /** A report request is about to go out. */
    void requested() {
        reportJobId = null;
        requestedAtNanos = System.nanoTime();
        polls = 0;
    }

    void jobAnswered(String jobId) {
        this.reportJobId = jobId;
    }

    /** Polling the report's jobId until data comes, or until it is abandoned. */
    public boolean isWaitingForJob() {
        return dataPending && reportJobId != null;
    }

    public String getReportJobId() {
        return reportJobId;
    }

    long getRequestedAtNanos() {
        return requestedAtNanos;
    }

    void polled() {
        polls++;
    }

    int getPolls() {
        return polls;
    }

    public long getPollDelayMillis() {
        return pollDelayMillis;
    }

    void setPollDelayMillis(long pollDelayMillis) {
        this.pollDelayMillis = pollDelayMillis;
    }

    /** The jobId is given up: the next pass requests the report again. Returns how many were given up. */
    int abandon() {
        reportJobId = null;
        return ++abandoned;
    }

    void dataSpooled() {
        dataPending = false;
        reportJobId = null;
    }

    /** The bearer token of the call in progress: dropped from the cache if the vendor rejects it. */
    String getTokenInUse() {
        return tokenInUse;
    }

    void setTokenInUse(String token) {
        this.tokenInUse = token;
    }

    /** A 401 already made this call fetch a new token; a second 401 is not retried. */
    boolean isTokenRefreshed() {
        return tokenRefreshed;
    }

    void setTokenRefreshed(boolean tokenRefreshed) {
        this.tokenRefreshed = tokenRefreshed;
    }

    @Override
    protected String accountLabel() {
        return "client";
    }

    @Override
    protected String reportLabel() {
        return "report";
    }

    @Override
    public Map<String, String> getMetadata() {
        Map<String, String> metadata = super.getMetadata();
        if (dates != null) {
            metadata.put("startDate", Integer.toString(dates.startNumber()));
            metadata.put("endDate", Integer.toString(dates.endNumber()));
        }
        return metadata;
    }

    /** An incremental run's end date: the next run starts the day after. Unchanged by a run that asked for nothing. */
    @Override
    public String getWatermark() {
        return job.window().type() == ReportWindow.Type.INCREMENTAL && dates != null && !dates.isEmpty()
                ? Integer.toString(dates.endNumber()) : null;
    }
}
