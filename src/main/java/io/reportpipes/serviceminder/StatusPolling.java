package io.reportpipes.serviceminder;

import org.apache.camel.ExchangeProperty;
import io.reportpipes.jobs.Backoff;
import io.reportpipes.jobs.PermanentJobException;

import java.time.Duration;

/**
 * The wait between downloadstatus calls: a first interval, multiplied by a factor after each
 * not-ready answer up to a cap, and an overall deadline per download.
 */
public final class StatusPolling {

    private final Backoff backoff;
    private final Duration timeout;

    public StatusPolling(Backoff backoff, Duration timeout) {
        this.backoff = backoff;
        this.timeout = timeout;
    }

    /** Before the first status call of a download. */
    public void begin(@ExchangeProperty("jobRun") ServiceminderRun run) {
        run.setPollDelayMillis(backoff.firstMillis());
    }

    /** After a not-ready answer: the next wait, or a clear failure once the deadline would pass. */
    public void next(@ExchangeProperty("jobRun") ServiceminderRun run) {
        long next = backoff.next(run.getPollDelayMillis());
        long waitedMillis = (System.nanoTime() - run.getDownloadStartedNanos()) / 1_000_000;
        if (waitedMillis + next > timeout.toMillis()) {
            throw new PermanentJobException("serviceminder download " + run.getDownloadId() + " of " + run.getJobId()
                    + " page " + run.getPage() + " was still not ready after " + Backoff.format(Duration.ofMillis(waitedMillis))
                    + " (" + run.getStatusCalls() + " status calls). It stays in the organisation's download "
                    + "queue at serviceminder; raise serviceminder.poll.timeout if the vendor is slow today.");
        }
        run.setPollDelayMillis(next);
    }
}
