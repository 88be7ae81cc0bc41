package io.reportpipes.serviceminder;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Body;
import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.delivery.PageSpooler.SpooledPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;

/**
 * The page loop of a serviceminder extraction: RowId 0 first, then the highest Id seen + 1, until a
 * page holds fewer rows than the vendor's limit.
 */
public final class ServiceminderExtraction {

    private static final Logger LOG = LoggerFactory.getLogger("serviceminder");
    private final PageSpooler spooler;
    private final int pageLimit;
    private final String idColumn;
    private final Clock clock;

    public ServiceminderExtraction(PageSpooler spooler, int pageLimit, String idColumn, Clock clock) {
        this.spooler = spooler;
        this.pageLimit = pageLimit;
        this.idColumn = idColumn;
        this.clock = clock;
    }

    public ServiceminderRun begin(@Body ServiceminderJob job) {
        return new ServiceminderRun(job, clock);
    }

    /** Streams the getdownload body to disk, checking it is a whole CSV page of this download. */
    public void spoolPage(@Body InputStream body, @ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        String source = "serviceminder getdownload for " + run.getJobId() + " page " + run.getPage();
        SpooledPage page = spooler.spool(body, source, idColumn, run.getRowId(), pageLimit);
        run.pageSpooled(page.file(), page.rows(), page.bytes());
        run.setPageLastId(page.lastId());
    }

    /** The sink committed the page: log progress and move the cursor. */
    public void pageDelivered(@ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
        spooler.discard(run.getPageFile());
        long rows = run.getPageRows();
        long bytes = run.getPageBytes();
        int page = run.getPage();
        run.advance(pageLimit);
        LOG.info("{} page {}: {} rows, {} total, {} bytes, {}s, {}", run.getJobId(), page, rows, run.getRows(),
                bytes, String.format("%.1f", run.getSeconds()),
                run.isMorePages() ? "next RowId " + run.getRowId() : "last page");
    }
}
