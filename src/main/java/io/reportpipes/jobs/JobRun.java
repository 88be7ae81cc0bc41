package io.reportpipes.jobs;

import io.reportpipes.delivery.Transform;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The state of one run of one job, carried through the routes as the exchange property {@code jobRun}:
 * which page it is on, what the page held, and the totals so far. Vendor flows extend it with their own
 * cursor (serviceminder's RowId and DownloadId).
 */
public class JobRun {

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String jobId;
    private final String vendor;
    private final String account;
    private final String report;
    private final String runId;
    private final String sinkUri;
    private final Transform transform;
    private final long startedNanos = System.nanoTime();
    private int pages;
    private long rows;
    private long bytes;
    private int page = 1;
    private Path pageFile;
    private long pageRows;
    private long pageBytes;

    protected JobRun(String vendor, String account, String report, String sinkUri, Transform transform,
                     Clock clock) {
        this.sinkUri = sinkUri;
        this.transform = transform;
        this.vendor = vendor;
        this.account = account;
        this.report = report;
        this.jobId = vendor + "/" + account + "/" + report;
        this.runId = RUN_ID.format(Instant.now(clock));
    }

    public String getJobId() {
        return jobId;
    }

    public String getVendor() {
        return vendor;
    }

    public String getAccount() {
        return account;
    }

    public String getReport() {
        return report;
    }

    public String getRunId() {
        return runId;
    }

    public Transform getTransform() {
        return transform;
    }

    /** The endpoint URI pages and the done marker go to. */
    public String getSinkUri() {
        return sinkUri;
    }

    /** Where this run's units go in the sink: vendor/organisation-or-client/kind-or-report/run. */
    public String getDeliveryPrefix() {
        return jobId + "/" + runId;
    }

    /** The deterministic key of the current page, so that delivering it again overwrites it. */
    public String getPageKey() {
        return getDeliveryPrefix() + String.format("/page-%05d.", page) + transform.extension();
    }

    public String getDoneMarkerKey() {
        return getDeliveryPrefix() + "/_SUCCESS";
    }

    public int getPage() {
        return page;
    }

    public int getPages() {
        return pages;
    }

    public long getRows() {
        return rows;
    }

    public long getBytes() {
        return bytes;
    }

    public Path getPageFile() {
        return pageFile;
    }

    public long getPageRows() {
        return pageRows;
    }

    public long getPageBytes() {
        return pageBytes;
    }

    public void pageSpooled(Path file, long rows, long bytes) {
        this.pageFile = file;
        this.pageRows = rows;
        this.pageBytes = bytes;
    }

    /** The sink committed the current page: count it and move on to the next. */
    public void pageDelivered() {
        pages++;
        rows += pageRows;
        bytes += pageBytes;
        page++;
        pageFile = null;
    }

    public double getSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    @Override
    public String toString() {
        return jobId + " run " + runId;
    }
}
