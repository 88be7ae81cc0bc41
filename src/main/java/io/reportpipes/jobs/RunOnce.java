package io.reportpipes.jobs;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a run-once: prints the summary table and stops Camel, which ends the process. */
public final class RunOnce {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private final RunSummary summary;

    public RunOnce(RunSummary summary) {
        this.summary = summary;
    }

    public void finish(CamelContext context) {
        LOG.info("Run summary:\n{}", summary.table());
        // stop from another thread: the exchange that calls us must complete first
        Thread stopper = new Thread(() -> {
            try {
                context.stop();
            } catch (Exception e) {
                LOG.warn("Stopping Camel after the run failed: {}", e.toString());
            }
        }, "run-once-stop");
        stopper.start();
    }
}
