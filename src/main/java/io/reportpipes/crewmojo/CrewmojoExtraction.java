package io.reportpipes.crewmojo;

import io.reportpipes.jobs.NumberText;
import io.reportpipes.jobs.DateWindow;
import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.jobs.BackfillStep;
import io.reportpipes.jobs.RunEvents;
import io.reportpipes.state.Checkpoint;
import io.reportpipes.jobs.Checkpoints;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
    private final Duration resumeJobIdWithin;
    private final RunEvents events;

    /**
     * @param zone        where "today" and "yesterday" are (crewmojo.time-zone)
     * @param overlapDays an incremental run starts this many days before the day after its watermark
     * @param resumeJobIdWithin after a restart, a jobId younger than this is polled again (crewmojo.poll.abandon-after)
     */
    public CrewmojoExtraction(PageSpooler spooler, Checkpoints checkpoints, Clock clock, ZoneId zone,
                              int overlapDays, Duration resumeJobIdWithin, RunEvents events) {
        this.spooler = spooler;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.zone = zone;
        this.overlapDays = overlapDays;
        this.resumeJobIdWithin = resumeJobIdWithin;
        this.events = events;
    }

    /**
     * Goes on with the job's unfinished run if a process left one, else starts a new run: for a backfill
     * window when {@code backfill} is set, else for the job's window today.
     */
    public CrewmojoRun begin(@Body CrewmojoJob job, @ExchangeProperty("backfill") BackfillStep backfill)
            throws IOException {
        Checkpoint checkpoint = checkpoints.begin(job.id());
        if (checkpoint.run() != null) {
            CrewmojoRun run = new CrewmojoRun(job, null, clock, checkpoint.run(), resumeJobIdWithin, null);
            LOG.info("{}: resuming run {} (dates: {}){}", job.id(), run.getRunId(), run.getDatesText(),
                    run.isPagesDone() ? ", only its done marker is left" : run.isWaitingForJob()
                            ? ", polling jobId " + run.getReportJobId() + " again" : "");
            events.started(run);
            return run;
        }
        String watermark = job.window().type() == ReportWindow.Type.INCREMENTAL ? checkpoint.watermark() : null;
        DateWindow dates = job.window().dates(LocalDate.now(clock.withZone(zone)), watermark, overlapDays);
        CrewmojoRun run = new CrewmojoRun(job, dates, clock, null, resumeJobIdWithin, backfill);
        if (!run.isUpToDate()) {
            LOG.info("{}: run {} started (dates: {})", job.id(), run.getRunId(), run.getDatesText());
        }
        events.started(run);
        return run;
    }

    /** The sink committed the report: log it and drop the spooled copy. */
    public void pageDelivered(@ExchangeProperty("jobRun") CrewmojoRun run) throws IOException {
        spooler.discard(run.getPageFile());
        run.pageDelivered();
        events.pageDelivered(run);
        LOG.info("{}: report delivered, {} rows, {} bytes, {}s", run.getJobId(), run.getRows(), run.getBytes(),
                NumberText.oneDecimal(run.getSeconds()));
    }
}
