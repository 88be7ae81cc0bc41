package io.reportpipes.serviceminder;

import io.reportpipes.jobs.JobRun;
import org.apache.camel.ExchangeProperty;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** The download cap of one process (the default, single-process mode): a fair semaphore per organisation. */
public final class LocalDownloadSlots implements DownloadSlots {

    private final int perOrganisation;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    public LocalDownloadSlots(int perOrganisation) {
        this.perOrganisation = DownloadSlots.checked(perOrganisation);
    }

    @Override
    public void acquire(@ExchangeProperty("jobRun") ServiceminderRun run) throws InterruptedException {
        if (!run.isSlotHeld()) {
            semaphore(run.getAccount()).acquire();
            run.setSlotHeld(true);
        }
    }

    @Override
    public void release(@ExchangeProperty("jobRun") JobRun run) {
        if (run instanceof ServiceminderRun held && held.isSlotHeld()) {
            held.setSlotHeld(false);
            semaphore(held.getAccount()).release();
        }
    }

    @Override
    public int inFlight(String organisation) {
        return perOrganisation - semaphore(organisation).availablePermits();
    }

    @Override
    public int perOrganisation() {
        return perOrganisation;
    }

    private Semaphore semaphore(String organisation) {
        return slots.computeIfAbsent(organisation, o -> new Semaphore(perOrganisation, true));
    }
}
