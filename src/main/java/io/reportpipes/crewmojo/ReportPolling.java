package io.reportpipes.crewmojo;

import io.reportpipes.jobs.Backoff;
import io.reportpipes.jobs.PermanentJobException;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Polling a long-running report's jobId: with backoff, never past the point where the vendor says to
 * give up (5 minutes by default) nor past the jobId's expiry (10 minutes after the request). A report
 * given up on is requested again, a bounded number of times; then the job fails saying so.
 */
public final class ReportPolling {

    private static final Logger LOG = LoggerFactory.getLogger("crewmojo");
    private final Backoff backoff;
    private final long deadlineMillis;
    private final int maxRequests;

    /**
     * @param abandonAfter give a jobId up this long after its request (must be shorter than the expiry)
     * @param jobExpiry    the vendor's jobId lifetime
     * @param maxRequests  requests of one report in one run before the job fails
     */
    public ReportPolling(Backoff backoff, Duration abandonAfter, Duration jobExpiry, int maxRequests) {
        if (abandonAfter.compareTo(jobExpiry) >= 0) {
            throw new IllegalArgumentException("crewmojo.poll.abandon-after (" + Backoff.format(abandonAfter)
                    + ") must be shorter than crewmojo.job-expiry (" + Backoff.format(jobExpiry)
                    + "): a jobId cannot be polled after it expires");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("crewmojo.poll.max-requests must be at least 1");
        }
        this.backoff = backoff;
        this.deadlineMillis = abandonAfter.toMillis();
        this.maxRequests = maxRequests;
    }

    /** The report answered a jobId: the first wait before polling it. */
    public void begin(@ExchangeProperty("jobRun") CrewmojoRun run) {
        run.setPollDelayMillis(backoff.firstMillis());
        next(run, backoff.firstMillis());
    }

    /** The jobId is still running: the next wait, or give it up once the deadline would pass. */
    public void next(@ExchangeProperty("jobRun") CrewmojoRun run) {
        next(run, backoff.next(run.getPollDelayMillis()));
    }

    private void next(CrewmojoRun run, long wait) {
        long elapsed = (System.nanoTime() - run.getRequestedAtNanos()) / 1_000_000;
        if (elapsed + wait <= deadlineMillis) {
            run.setPollDelayMillis(wait);
            return;
        }
        giveUp(run, "still running after " + Backoff.format(Duration.ofMillis(elapsed)) + " (" + run.getPolls()
                + " polls)");
    }

    /**
     * Gives the jobId up ({@code why} says what happened to it): the report is requested again, or the
     * job fails once it was requested crewmojo.poll.max-requests times.
     */
    void giveUp(CrewmojoRun run, String why) {
        String jobId = run.getReportJobId();
        int abandoned = run.abandon();
        if (abandoned >= maxRequests) {
            throw new PermanentJobException("Crewmojo report " + run.getReport() + " of " + run.getJobId()
                    + " gave no data after " + abandoned + " request(s): the last jobId (" + jobId + ") was " + why
                    + ". Crewmojo asks to be contacted if this continues; a narrower window, or a higher "
                    + "crewmojo.poll.max-requests, may help");
        }
        LOG.warn("{}: jobId {} {}; abandoning it and requesting the report again (request {} of {})",
                run.getJobId(), jobId, why, abandoned + 1, maxRequests);
    }
}
