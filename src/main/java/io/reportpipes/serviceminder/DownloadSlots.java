package io.reportpipes.serviceminder;

import io.reportpipes.jobs.JobRun;
import org.apache.camel.ExchangeProperty;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps the downloads one organisation has outstanding (started, not yet fetched) below the vendor's
 * queue limit of 100, however many of its jobs run at once. A slot is taken before startdownload and
 * given back once getdownload answered, or when the job ends whatever happened.
 */
public final class DownloadSlots {

    private final int perOrganisation;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    public DownloadSlots(int perOrganisation) {
        if (perOrganisation < 1 || perOrganisation > 100) {
            throw new IllegalArgumentException("serviceminder.max-outstanding-downloads must be 1..100 "
                    + "(the vendor queues at most 100 downloads per organisation), not " + perOrganisation);
        }
        this.perOrganisation = perOrganisation;
    }

    /** Takes a slot unless the run holds one already (a retried start keeps its slot). */
    public void acquire(@ExchangeProperty("jobRun") ServiceminderRun run) throws InterruptedException {
        if (!run.isSlotHeld()) {
            semaphore(run.getAccount()).acquire();
            run.setSlotHeld(true);
        }
    }

    public void release(@ExchangeProperty("jobRun") JobRun run) {
        if (run instanceof ServiceminderRun held && held.isSlotHeld()) {
            held.setSlotHeld(false);
            semaphore(held.getAccount()).release();
        }
    }

    /** Downloads the organisation has outstanding now (for the in-flight gauge). */
    public int inFlight(String organisation) {
        return perOrganisation - semaphore(organisation).availablePermits();
    }

    public int perOrganisation() {
        return perOrganisation;
    }

    private Semaphore semaphore(String organisation) {
        return slots.computeIfAbsent(organisation, o -> new Semaphore(perOrganisation, true));
    }
}
