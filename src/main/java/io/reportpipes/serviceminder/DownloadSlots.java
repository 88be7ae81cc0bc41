package io.reportpipes.serviceminder;

import io.reportpipes.jobs.JobRun;
import org.apache.camel.ExchangeProperty;

import java.io.IOException;

/**
 * Caps the downloads one organisation has outstanding (started, not yet fetched) below the vendor's queue limit of
 * 100, however many of its jobs run at once: in this process ({@link LocalDownloadSlots}) or, in cluster mode,
 * across every node ({@link SharedDownloadSlots}). A slot is taken before startdownload and given back once
 * getdownload answered, or when the job ends whatever happened.
 */
public interface DownloadSlots {

    /**
     * Takes a slot before a page's download starts, unless the run holds one already (a retried start keeps its
     * slot). In cluster mode a run taken over may find the download its previous node started: the run then has
     * that download in flight, and no new one is started.
     */
    void acquire(@ExchangeProperty("jobRun") ServiceminderRun run) throws Exception;

    /** startdownload answered (the run has its DownloadId). */
    default void started(@ExchangeProperty("jobRun") ServiceminderRun run) throws IOException {
    }

    void release(@ExchangeProperty("jobRun") JobRun run) throws IOException;

    /** Downloads the organisation has outstanding now (for the in-flight gauge). */
    int inFlight(String organisation);

    int perOrganisation();

    static int checked(int perOrganisation) {
        if (perOrganisation < 1 || perOrganisation > 100) {
            throw new IllegalArgumentException("serviceminder.max-outstanding-downloads must be 1..100 "
                    + "(the vendor queues at most 100 downloads per organisation), not " + perOrganisation);
        }
        return perOrganisation;
    }
}
