package io.reportpipes.crewmojo;

import io.reportpipes.jobs.Transform;
import io.reportpipes.jobs.Job;

/**
 * One configured Crewmojo report download.
 *
 * @param json      ask for {@code contentType: json} (a JSON array) instead of the default CSV
 * @param sinkUri   the endpoint URI its run goes to (may hold credentials: never logged)
 * @param transform how a CSV report is written (a JSON report is delivered as the vendor's array)
 */
public record CrewmojoJob(CrewmojoClient client, String report, ReportWindow window, boolean json, String schedule,
                          String sinkUri, Transform transform) implements Job {

    @Override
    public String vendor() {
        return "crewmojo";
    }

    @Override
    public String id() {
        return "crewmojo/" + client.name() + "/" + report;
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return id();
    }
}
