package io.reportpipes.crewmojo;

import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.state.Checkpoints;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** A Crewmojo run from start to delivery: its window's dates for today, then one page, the report. */
public final class CrewmojoExtraction {

    private static final Logger LOG = LoggerFactory.getLogger("crewmojo");
    private final PageSpooler spooler;
    private final Checkpoints checkpoints;
    private final Clock clock;
    private final ZoneId zone;
    private final int overlapDays;

    /**
     * @param zone        where "today" and "yesterday" are (crewmojo.time-zone)
     * @param overlapDays an incremental run starts this many days before the day after its watermark
     */
    public CrewmojoExtraction(PageSpooler spooler, Checkpoints checkpoints, Clock clock, ZoneId zone,
                              int overlapDays) {
        this.spooler = spooler;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.zone = zone;
        this.overlapDays = overlapDays;
    }

    public CrewmojoRun begin(@Body CrewmojoJob job) throws IOException {
        String watermark = job.window().type() == ReportWindow.Type.INCREMENTAL
                ? checkpoints.watermark(job.id()).orElse(null) : null;
        ReportWindow.Dates dates = job.window().dates(LocalDate.now(clock.withZone(zone)), watermark, overlapDays);
        return new CrewmojoRun(job, dates, clock);
    }

    /** The sink committed the report: log it and drop the spooled copy. */
    public void pageDelivered(@ExchangeProperty("jobRun") CrewmojoRun run) throws IOException {
        spooler.discard(run.getPageFile());
        run.pageDelivered();
        LOG.info("{}: report delivered, {} rows, {} bytes, {}s", run.getJobId(), run.getRows(), run.getBytes(),
                String.format("%.1f", run.getSeconds()));
    }
}
