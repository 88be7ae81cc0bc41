package io.reportpipes.jobs;

/**
 * What the engine and the vendor flows report about runs as they happen. The ops layer listens (the status
 * page, the metrics): it is implemented there, so that no lower layer knows about it.
 */
public interface RunEvents {

    /** A run began, or was resumed from its checkpoint. */
    void started(JobRun run);

    /** The sink committed a page of the run. */
    void pageDelivered(JobRun run);

    /** A status call (serviceminder) or a jobId poll (Crewmojo). */
    void polled(JobRun run);

    /** A new access token was fetched for a client (Crewmojo). */
    void tokenFetched(String client);

    /** The run ended; {@code error} is null when it succeeded. */
    void finished(JobRun run, String error);

    /** A job's run ended without a result here (it failed while starting, or another node took it over). */
    void released(String jobId);
}
