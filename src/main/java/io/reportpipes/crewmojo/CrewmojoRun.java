package io.reportpipes.crewmojo;

import io.reportpipes.jobs.DateWindow;
import io.reportpipes.jobs.BackfillStep;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.state.RunState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A run of a Crewmojo job: its date window, the report request in flight (its jobId and when it was
 * requested) and how many requests were abandoned. A report is one page.
 */
public final class CrewmojoRun extends JobRun {

    private final CrewmojoJob job;
    private final DateWindow dates;
    private boolean dataPending = true;
    private String reportJobId;
    private long requestedAtNanos;
    private Instant requestedAt;
    private long pollDelayMillis;
    private int polls;
    private int abandoned;
    private String tokenInUse;
    private boolean tokenRefreshed;

    /**
     * @param dates   a new run's window (null: all dates); a resumed run keeps its own
     * @param resumed the unfinished run to go on with, or null
     * @param resumeJobIdWithin a resumed jobId younger than this is polled again; an older one is dropped
     * @param backfill the backfill window a new run asks for instead of {@code dates}, or null
     */
    public CrewmojoRun(CrewmojoJob job, DateWindow dates, Clock clock, RunState resumed,
                       Duration resumeJobIdWithin, BackfillStep backfill) {
        super("crewmojo", job.client().name(), job.report(), job.sinkUri(), job.transform(), clock, resumed, backfill);
        this.job = job;
        if (resumed == null) {
            this.dates = backfill != null ? backfill.window() : dates;
            this.dataPending = dates == null || !dates.isEmpty();
            return;
        }
        this.dates = resumed.windowFrom() == null ? null : new DateWindow(
                LocalDate.parse(resumed.windowFrom(), DateWindow.YYYYMMDD),
                LocalDate.parse(resumed.windowThrough(), DateWindow.YYYYMMDD));
        this.dataPending = !resumed.pagesDone();
        if (dataPending && resumed.handle() != null) {
            Duration age = Duration.between(Instant.parse(resumed.handleSince()), clock.instant());
            if (age.compareTo(resumeJobIdWithin) < 0) {
                this.reportJobId = resumed.handle();
                this.requestedAt = Instant.parse(resumed.handleSince());
                this.requestedAtNanos = System.nanoTime() - age.toNanos();
            }
        }
    }

    public CrewmojoJob getJob() {
        return job;
    }

    /** The window's dates, or null for the whole report. */
    public DateWindow getDates() {
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
        requestedAt = clock().instant();
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
    public boolean isPagesDone() {
        return !dataPending && getPageFile() == null;
    }

    @Override
    protected String handle() {
        return reportJobId;
    }

    @Override
    protected String handleSince() {
        return reportJobId == null ? null : requestedAt.toString();
    }

    @Override
    protected String windowFrom() {
        return dates == null ? null : Integer.toString(dates.startNumber());
    }

    @Override
    protected String windowThrough() {
        return dates == null ? null : Integer.toString(dates.endNumber());
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
        return job.window().type() == ReportWindow.Type.INCREMENTAL && getBackfill() == null && dates != null
                && !dates.isEmpty()
                ? Integer.toString(dates.endNumber()) : null;
    }
}
