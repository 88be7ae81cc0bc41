package io.reportpipes.jobs;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.IntConsumer;

/**
 * Ends a run-once: prints the summary table and stops Camel, which ends the process. When a job failed the
 * process must exit non-zero on either runtime: a launcher that sets the exit code itself (Application, on Camel
 * Main) binds {@link #EXIT_BEAN}; elsewhere (Camel Quarkus in a pod, whose exit code is Camel Main's 0) the
 * process exits 1 once Camel has stopped.
 */
public final class RunOnce {

    /** The registry name of an exit action that replaces {@link System#exit} after a failed run. */
    public static final String EXIT_BEAN = "runOnceExit";
    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private final RunSummary summary;
    private final IntConsumer exit;

    public RunOnce(RunSummary summary, IntConsumer exit) {
        this.summary = summary;
        this.exit = exit;
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
            if (summary.failures() > 0) {
                exit.accept(1);
            }
        }, "run-once-stop");
        stopper.start();
    }
}
