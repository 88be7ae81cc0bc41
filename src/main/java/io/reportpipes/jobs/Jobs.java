package io.reportpipes.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every configured job, all vendors: what a run-once runs and what daemon mode schedules. */
public final class Jobs {

    private final List<Job> all;

    public Jobs(List<? extends Job> serviceminder, List<? extends Job> crewmojo) {
        List<Job> jobs = new ArrayList<>(serviceminder);
        jobs.addAll(crewmojo);
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("No job configured: set serviceminder.organisations or crewmojo.clients"
                    + " in application.properties");
        }
        this.all = List.copyOf(jobs);
    }

    public List<Job> all() {
        return all;
    }

    public Optional<Job> byId(String id) {
        return all.stream().filter(job -> job.id().equals(id)).findFirst();
    }
}
