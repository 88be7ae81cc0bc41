package io.reportpipes.jobs;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * What each job of a run did: collected as jobs end (in any thread), printed as one table at the end
 * of a run-once, one line per job in daemon mode.
 */
public final class RunSummary {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");

    /** One job's outcome. {@code error} is null when it succeeded. */
    public record Result(String jobId, int pages, long rows, int files, double seconds, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    private final List<Result> results = new ArrayList<>();
    private final RunEvents events;

    public RunSummary(RunEvents events) {
        this.events = events;
    }

    public void succeeded(@ExchangeProperty("jobRun") JobRun run) {
        // the page files plus the done marker; none when an incremental job had nothing new to ask for
        int files = run.getPages() == 0 ? 0 : run.getPages() + 1;
        add(new Result(run.getLabel(), run.getPages(), run.getRows(), files, run.getSeconds(), null));
        events.finished(run, null);
        LOG.info("Job {} done: {} pages, {} rows in {}s", run.getLabel(), run.getPages(), run.getRows(),
                NumberText.oneDecimal(run.getSeconds()));
    }

    public void failed(@ExchangeProperty("jobRun") JobRun run, @ExchangeProperty("jobId") String jobId,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception error) {
        String reason = reason(error);
        Result result = run == null ? new Result(jobId, 0, 0, 0, 0, reason)
                : new Result(run.getLabel(), run.getPages(), run.getRows(), run.getPages(), run.getSeconds(), reason);
        add(result);
        if (run != null) {
            events.finished(run, reason);
        } else {
            events.released(jobId);
        }
        LOG.error("Job {} FAILED after {} delivered page(s): {}", result.jobId(), result.pages(), reason);
    }

    /**
     * Another node took the run over (this node was paused or cut off meanwhile): not a failure of the job, whose run
     * goes on there; logged so that the takeover can be followed on both nodes.
     */
    public void superseded(@ExchangeProperty("jobRun") JobRun run, @ExchangeProperty("jobId") String jobId,
                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception error) {
        events.released(jobId);
        LOG.warn("Job {} run {} taken over by another node: {}", jobId, run == null ? "?" : run.getRunId(),
                reason(error));
    }

    /** The message that says what went wrong: Camel's wrappers (split, multicast) peeled off, the root cause added. */
    public static String reason(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable shown = error;
        while (shown instanceof CamelExchangeException && shown.getCause() != null) {
            shown = shown.getCause();
        }
        Throwable root = shown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(shown.getMessage());
        return root == shown || message.contains(String.valueOf(root.getMessage())) ? message
                : message + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private synchronized void add(Result result) {
        results.add(result);
    }

    public synchronized List<Result> results() {
        return List.copyOf(results);
    }

    public synchronized long failures() {
        return results.stream().filter(Result::failed).count();
    }

    /** The run-once table: job, pages, rows, files, seconds; failed jobs listed below with their reason. */
    public synchronized String table() {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.jobId().compareTo(b.jobId()));
        int width = Math.max(3, sorted.stream().mapToInt(r -> r.jobId().length()).max().orElse(3));
        StringBuilder out = new StringBuilder();
        String format = "%-" + width + "s  %6s  %10s  %6s  %8s  %s%n";
        out.append(String.format(format, "job", "pages", "rows", "files", "seconds", "result"));
        long pages = 0;
        long rows = 0;
        long files = 0;
        for (Result r : sorted) {
            out.append(String.format(format, r.jobId(), r.pages(), r.rows(), r.files(),
                    String.format("%.1f", r.seconds()), r.failed() ? "FAILED" : "ok"));
            pages += r.pages();
            rows += r.rows();
            files += r.files();
        }
        out.append(String.format(format, "total (" + sorted.size() + " jobs)", pages, rows, files, "",
                failures() == 0 ? "ok" : failures() + " failed"));
        for (Result r : sorted) {
            if (r.failed()) {
                out.append(String.format("FAILED %s: %s%n", r.jobId(), r.error()));
            }
        }
        return out.toString();
    }

    public synchronized void clear() {
        results.clear();
    }
}
