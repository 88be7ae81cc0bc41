package io.reportpipes.jobs;

import io.reportpipes.state.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * report-pipes.mode = backfill: each job over a date range cut into windows, one run per window, oldest
 * first. A window's run is checkpointed like any run (its run id is the window, so a restart resumes it),
 * and a finished window is recorded, so a backfill started again goes on with the next window.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private final Jobs jobs;
    private final Checkpoints checkpoints;
    private final DateWindow range;
    private final int windowDays;
    private final List<String> only;

    /** @param only the job ids to backfill; empty: every job */
    public Backfill(Jobs jobs, Checkpoints checkpoints, DateWindow range, int windowDays, List<String> only) {
        if (range.isEmpty() || windowDays < 1) {
            throw new IllegalArgumentException("report-pipes.backfill: from (" + range.start() + ") must not be after to ("
                    + range.end() + ") and window-days (" + windowDays + ") must be at least 1");
        }
        for (String id : only) {
            if (jobs.byId(id).isEmpty()) {
                throw new IllegalArgumentException("report-pipes.backfill.jobs names '" + id + "', which is no job; jobs: "
                        + String.join(", ", jobs.all().stream().map(Job::id).toList()));
            }
        }
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.range = range;
        this.windowDays = windowDays;
        this.only = only;
    }

    /** One job's windows still to run, in order; the route runs them one by one and stops at a failure. */
    public static final class Plan implements Iterator<BackfillStep> {
        private final Job job;
        private final Iterator<BackfillStep> steps;

        Plan(Job job, List<BackfillStep> steps) {
            this.job = job;
            this.steps = steps.iterator();
        }

        public Job job() {
            return job;
        }

        @Override
        public boolean hasNext() {
            return steps.hasNext();
        }

        @Override
        public BackfillStep next() {
            return steps.next();
        }
    }

    public List<Plan> plan() throws IOException {
        String name = range + " by " + windowDays + " days";
        List<Plan> plans = new ArrayList<>();
        for (Job job : jobs.all()) {
            if (!only.isEmpty() && !only.contains(job.id())) {
                continue;
            }
            Checkpoint checkpoint = checkpoints.load(job.id());
            if (checkpoint.run() != null && !name.equals(checkpoint.run().backfillRange())) {
                throw new IllegalStateException(job.id() + " has an unfinished run (" + checkpoint.run().runId()
                        + ") that is not part of this backfill: finish it first with a run-once, then backfill");
            }
            LocalDate doneThrough = checkpoint.backfill() != null && name.equals(checkpoint.backfill().range())
                    ? LocalDate.parse(checkpoint.backfill().doneThrough(), DateWindow.YYYYMMDD) : null;
            List<BackfillStep> steps = new ArrayList<>();
            for (LocalDate start = range.start(); !start.isAfter(range.end()); start = start.plusDays(windowDays)) {
                LocalDate end = start.plusDays(windowDays - 1L);
                DateWindow window = new DateWindow(start, end.isAfter(range.end()) ? range.end() : end);
                if (doneThrough == null || window.end().isAfter(doneThrough)) {
                    steps.add(new BackfillStep(name, window));
                }
            }
            LOG.info("Backfill {} of {}: {} window(s) to run{}", name, job.id(), steps.size(),
                    doneThrough == null ? "" : ", done through " + doneThrough);
            plans.add(new Plan(job, steps));
        }
        return plans;
    }
}
