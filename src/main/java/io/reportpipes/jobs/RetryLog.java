package io.reportpipes.jobs;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * One WARN line per retry of a vendor call or delivery, in place of Camel's "Failed delivery for (MessageId: …)":
 * the job, the call, the cause in a line, which retry of how many, and the wait before it. Camel calls it
 * (onExceptionOccurred of the vendor-retries policies) as a call fails, with the retry counters already moved on; a
 * failure that is not retried (a refusal, the last attempt) is left to run-job, which logs it once.
 */
public final class RetryLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private static final int CAUSE_LENGTH = 240;
    private final Backoff waits;

    /** @param waits the policy's redelivery delays: the first, the factor (1: fixed), the longest */
    public RetryLog(Backoff waits) {
        this.waits = waits;
    }

    @Override
    public void process(Exchange exchange) {
        int retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int retries = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        if (retry < 1 || retry > retries) {
            return;
        }
        JobRun run = exchange.getProperty("jobRun", JobRun.class);
        String job = run != null ? run.getJobId() : exchange.getProperty("jobId", "a job", String.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = RunSummary.reason(cause).lines().findFirst().orElse("");
        LOG.warn("{}: {} failed: {}; retry {} of {} in {}", job, call(exchange),
                reason.length() > CAUSE_LENGTH ? reason.substring(0, CAUSE_LENGTH) + "…" : reason, retry, retries,
                Backoff.format(Duration.ofMillis(wait(retry))));
    }

    /** Camel's exponential backoff as the policy sets it: first × factor^(retry - 1), at most the cap. */
    long wait(int retry) {
        double wait = waits.firstMillis() * Math.pow(waits.factor(), retry - 1);
        return (long) Math.min(wait, waits.capMillis());
    }

    /** What failed: a vendor call by its last path segment (startdownload, token), a sink by its URI without query. */
    private static String call(Exchange exchange) {
        String endpoint = exchange.getProperty(Exchange.TO_ENDPOINT, String.class);
        if (endpoint == null) {
            return "a call";
        }
        String plain = URISupport.sanitizeUri(endpoint).replaceAll("[?].*", "").replaceAll("/+$", "");
        if (plain.startsWith("http")) {
            return plain.substring(plain.lastIndexOf('/') + 1);
        }
        // a route of ours (deliver-records: the sink is called from its split)
        return plain.startsWith("direct://") ? plain.substring("direct://".length()) : "delivery to " + plain;
    }
}
