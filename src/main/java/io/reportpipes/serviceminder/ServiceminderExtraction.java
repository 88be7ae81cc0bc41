package io.reportpipes.serviceminder;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.delivery.PageSpooler.SpooledPage;
import io.reportpipes.jobs.NumberText;
import io.reportpipes.jobs.BackfillStep;
import io.reportpipes.jobs.JobRun;
import io.reportpipes.jobs.PermanentJobException;
import io.reportpipes.jobs.RunSummary;
import io.reportpipes.jobs.RunEvents;
import io.reportpipes.state.Checkpoint;
import io.reportpipes.jobs.Checkpoints;
import io.reportpipes.state.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The beans of a serviceminder extraction's page loop (routes/serviceminder.camel.yaml): its run, its
 * paging rule ({@link #nextRowId}), its pages spooled, and the page fetched ahead.
 */
public final class ServiceminderExtraction {

    private static final Logger LOG = LoggerFactory.getLogger("serviceminder");
    private final PageSpooler spooler;
    private final int pageLimit;
    private final String idColumn;
    private final Clock clock;
    private final Checkpoints checkpoints;
    private final DateTimeFormatter dates;
    private final Duration overlap;
    private final RunEvents events;
    private final DownloadSlots slots;

    /**
     * @param dates   how UpdatedFrom is written, in the vendor's time zone
     * @param overlap an incremental run's UpdatedFrom is this long before the last run's start
     */
    public ServiceminderExtraction(PageSpooler spooler, int pageLimit, String idColumn, Clock clock,
                                   Checkpoints checkpoints, DateTimeFormatter dates, Duration overlap,
                                   RunEvents events, DownloadSlots slots) {
        this.spooler = spooler;
        this.pageLimit = pageLimit;
        this.idColumn = idColumn;
        this.clock = clock;
        this.checkpoints = checkpoints;
        this.dates = dates;
        this.overlap = overlap;
        this.events = events;
        this.slots = slots;
    }

    /**
     * Goes on with the job's unfinished run if a process left one, else starts a new run: a backfill
     * window's when {@code backfill} is set, else a regular one (incremental from the watermark, or full).
     */
    public ServiceminderRun begin(@Body ServiceminderJob job, @ExchangeProperty("backfill") BackfillStep backfill)
            throws IOException {
        Checkpoint checkpoint = checkpoints.begin(job.id());
        RunState unfinished = checkpoint.run();
        if (unfinished != null) {
            ServiceminderRun run = new ServiceminderRun(job, clock, unfinished, null, null, null);
            LOG.info("{}: resuming run {} at page {} (RowId {}){}", job.id(), run.getRunId(), run.getPage(),
                    run.getRowId(), run.isDownloadInFlight() ? ", download " + run.getDownloadId() + " in flight" : "");
            events.started(run);
            return run;
        }
        String updatedFrom = null;
        if (job.incremental() && backfill == null && checkpoint.watermark() != null) {
            updatedFrom = dates.format(LocalDateTime.parse(checkpoint.watermark(), dates).minus(overlap));
        }
        ServiceminderRun run = new ServiceminderRun(job, clock, null, updatedFrom, dates.format(clock.instant()),
                backfill);
        LOG.info("{}: run {} started{}", job.id(), run.getRunId(), updatedFrom != null
                ? " (incremental, UpdatedFrom " + updatedFrom + ")" : backfill != null ? " (backfill)" : "");
        events.started(run);
        return run;
    }

    /**
     * Streams the getdownload body to disk, checking it is a whole CSV page of this download, written as the
     * job's transform says.
     */
    public void spoolPage(@Body InputStream body, @ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        String source = "serviceminder getdownload for " + run.getJobId() + " page " + run.getPage();
        // every page of a run has the first one's columns (a run resumed by a new process learns them anew)
        SpooledPage page = spooler.spool(body, source, idColumn, run.getRowId(), pageLimit, run.getColumns(), run);
        run.setColumns(page.header());
        run.pageSpooled(page.file(), page.rows(), page.bytes());
        run.setPageLastId(page.lastId());
    }

    /**
     * serviceminder's paging rule: the next page starts at this page's highest Id + 1, and a page with fewer rows
     * than the vendor's limit (serviceminder.page-size, 25,000; none included) is the last: null then.
     */
    public Long nextRowId(@ExchangeProperty("jobRun") ServiceminderRun run) {
        return run.getPageRows() >= pageLimit ? run.getPageLastId() + 1 : null;
    }

    /**
     * The next page's run, at {@code rowId}: the routes fetch that page while this one is transformed and
     * delivered, so the vendor prepares the next download meanwhile.
     */
    public ServiceminderRun fetchAhead(@ExchangeProperty("jobRun") ServiceminderRun run,
                                       @ExchangeProperty("rowId") long rowId) {
        return run.fetchAhead(rowId);
    }

    /** The fetch ahead failed, its retries spent: the job fails with this once the page before it is delivered. */
    public void fetchAheadFailed(@ExchangeProperty("jobRun") ServiceminderRun ahead,
                                 @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        ahead.fetchFailed(RunSummary.reason(failure));
    }

    /** The fetch ahead ended, well or not: whoever waits for it goes on. */
    public void fetchAheadEnded(@ExchangeProperty("jobRun") ServiceminderRun ahead) {
        ahead.fetchEnded();
    }

    /**
     * After the page was delivered (and the cursor moved): waits for the fetch ahead and takes its page. If
     * the fetch failed, the job fails with its error, as a fetch in turn would have after the same retries.
     */
    public void adoptFetchedAhead(@ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        ServiceminderRun ahead = run.takeAhead();
        if (ahead == null) {
            return;
        }
        if (ahead.getFetchFailure() != null) {
            drop(ahead);
            checkpoints.save(run); // the page before it is committed: a restart goes on from there
            throw new FetchAheadFailedException(ahead.getFetchFailure());
        }
        run.adopt(ahead);
    }

    /** The job failed: the page fetched ahead, if any, is waited for and dropped. */
    public void dropFetchedAhead(@ExchangeProperty("jobRun") JobRun run) throws IOException {
        if (run instanceof ServiceminderRun serviceminder) {
            ServiceminderRun ahead = serviceminder.takeAhead();
            if (ahead != null) {
                drop(ahead);
            }
        }
    }

    private void drop(ServiceminderRun ahead) throws IOException {
        spooler.discard(ahead.getPageFile());
        slots.release(ahead);
    }

    /**
     * The next page's fetch failed after its retries: not retried again here. Its reason only, not the
     * exception as cause, which the retry policy would match (and retry) by its type.
     */
    static final class FetchAheadFailedException extends PermanentJobException {
        FetchAheadFailedException(String reason) {
            super(reason);
        }
    }

    /** The sink committed the page: the run goes on at {@code rowId} (the routes' cursor; null: it was the last). */
    public void pageDelivered(@ExchangeProperty("jobRun") ServiceminderRun run, @ExchangeProperty("rowId") Long rowId)
            throws IOException {
        spooler.discard(run.getPageFile());
        long rows = run.getPageRows();
        long bytes = run.getPageBytes();
        int page = run.getPage();
        int statusCalls = run.getStatusCalls();
        run.advance(rowId);
        events.pageDelivered(run);
        LOG.info("{} page {}: {} rows, {} total, {} bytes, {}s, ready after {} status call(s), {}", run.getJobId(),
                page, rows, run.getRows(), bytes, NumberText.oneDecimal(run.getSeconds()), statusCalls,
                rowId != null ? "next RowId " + rowId : "last page");
    }
}
