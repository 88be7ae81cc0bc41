package io.reportpipes.serviceminder;

import io.reportpipes.jobs.Transform;
import io.reportpipes.jobs.Job;

import java.util.Map;

/**
 * One configured extraction: an organisation's Kind with its filters and settings.
 *
 * @param transform how its pages are written (named by the kind, the organisation or transform.default)
 * @param sinkUri the endpoint URI of the sink the job delivers to (may hold credentials: never logged)
 * @param fields the payload fields besides ApiKey/UserId/Kind/RowId: date filters as strings, the
 *               kind's settings object as a nested map (e.g. {@code Contacts -> {WithEmails -> true}})
 * @param incremental each run sends UpdatedFrom from the last successful run's start (load incremental);
 *                    else every run downloads everything its filters select (load full, the default)
 */
public record ServiceminderJob(String organisation, String apiKey, int userId, String kind,
                               Map<String, Object> fields, String schedule, String sinkUri, Transform transform,
                               boolean incremental) implements Job {

    @Override
    public String vendor() {
        return "serviceminder";
    }

    @Override
    public String id() {
        return "serviceminder/" + organisation + "/" + kind;
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return id();
    }
}
