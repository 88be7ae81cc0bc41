package io.reportpipes.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every configured job, all vendors: what a run-once runs and what daemon mode schedules. Jobs of the
 * source Kamelets are not here: each Kamelet route schedules its own.
 */
public final class Jobs {

    private final List<Job> all;

    public Jobs(List<? extends Job> serviceminder, List<? extends Job> crewmojo) {
        List<Job> jobs = new ArrayList<>(serviceminder);
        jobs.addAll(crewmojo);
        this.all = List.copyOf(jobs);
    }

    public List<Job> all() {
        return all;
    }

    public Optional<Job> byId(String id) {
        return all.stream().filter(job -> job.id().equals(id)).findFirst();
    }
}
