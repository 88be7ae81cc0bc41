package io.reportpipes.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.state.RunState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one run of one job, carried through the routes as the exchange property {@code jobRun}:
 * which page it is on, what the page held, and the totals so far. Vendor flows extend it with their own
 * cursor (serviceminder's RowId and DownloadId, Crewmojo's jobId and date window).
 */
public abstract class JobRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String jobId;
    private final String vendor;
    private final String account;
    private final String report;
    private final String runId;
    private final String sinkUri;
    private final Transform transform;
    private final Clock clock;
    private final long startedNanos = System.nanoTime();
    private int pages;
    private long rows;
    private long bytes;
    private int page = 1;
    private Path pageFile;
    private long pageRows;
    private long pageBytes;

    private final BackfillStep backfill;

    /**
     * @param resumed  the unfinished run to go on with (same run id, totals and next page), or null for a new run
     * @param backfill the backfill window a new run covers instead of the job's own dates, or null
     */
    protected JobRun(String vendor, String account, String report, String sinkUri, Transform transform,
                     Clock clock, RunState resumed, BackfillStep backfill) {
        this.sinkUri = sinkUri;
        this.transform = transform;
        this.clock = clock;
        this.vendor = vendor;
        this.account = account;
        this.report = report;
        this.jobId = vendor + "/" + account + "/" + report;
        this.backfill = resumed == null ? backfill : resumed.backfillWindow() == null ? null
                : new BackfillStep(resumed.backfillRange(), DateWindow.parse(resumed.backfillWindow()));
        if (resumed != null) {
            this.runId = resumed.runId();
            this.pages = resumed.pages();
            this.rows = resumed.rows();
            this.bytes = resumed.bytes();
            this.page = resumed.pages() + 1;
        } else {
            // a backfill window's run id is the window: the same backfill run again replaces its output
            this.runId = backfill != null ? backfill.runId() : RUN_ID.format(Instant.now(clock));
        }
    }

    /** The backfill window this run covers, or null for a regular run. */
    public BackfillStep getBackfill() {
        return backfill;
    }

    /** The job, and the window of a backfill run: how the run summary names the run. */
    public String getLabel() {
        return backfill == null ? jobId : jobId + " " + backfill.window();
    }

    /** What a restart needs to go on with this run: see {@link RunState}. */
    public RunState toState() {
        return new RunState(runId, windowFrom(), windowThrough(), pages, rows, bytes, cursor(), isPagesDone(),
                handle(), handleSince(), backfill == null ? null : backfill.range(),
                backfill == null ? null : backfill.window().toString());
    }

    /** Every page is committed: only the done marker is left. */
    public boolean isPagesDone() {
        return false;
    }

    /** Where the next page starts, in the vendor's terms (serviceminder's RowId). */
    protected long cursor() {
        return 0;
    }

    /** The vendor's handle of the request in flight, or null. */
    protected String handle() {
        return null;
    }

    /** When the request in flight was made (ISO-8601), or null. */
    protected String handleSince() {
        return null;
    }

    /** The run's lower bound, fixed at its start, or null. */
    protected String windowFrom() {
        return null;
    }

    /** The run's upper bound, fixed at its start, or null. */
    protected String windowThrough() {
        return null;
    }

    protected Clock clock() {
        return clock;
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
        return getDeliveryPrefix() + "/page-" + NumberText.fiveDigits(page) + "." + transform.extension();
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

    /**
     * What identifies the run in S3 metadata, message headers and the done marker: vendor, account
     * and report under the vendor's own words, and the run id. Nothing secret.
     */
    public Map<String, String> getMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("vendor", vendor);
        metadata.put(accountLabel(), account);
        metadata.put(reportLabel(), report);
        metadata.put("run", runId);
        if (backfill != null) {
            metadata.put("backfillWindow", backfill.window().toString());
        }
        return metadata;
    }

    /** What the vendor calls the account (serviceminder's organisation, Crewmojo's client). */
    protected abstract String accountLabel();

    /** What the vendor calls the report (serviceminder's kind, Crewmojo's report). */
    protected abstract String reportLabel();

    /** The content of the run's done marker: what a downstream consumer may check before reading. */
    public String getDoneMarker() throws JsonProcessingException {
        Map<String, Object> marker = new LinkedHashMap<>(getMetadata());
        marker.put("pages", pages);
        marker.put("rows", rows);
        marker.put("bytes", bytes);
        marker.put("completedAt", Instant.now(clock).toString());
        return JSON.writeValueAsString(marker) + "\n";
    }

    /** Where the next incremental run starts, saved once this run's done marker is written; null: none. */
    public String getWatermark() {
        return null;
    }

    public double getSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    @Override
    public String toString() {
        return jobId + " run " + runId;
    }
}
