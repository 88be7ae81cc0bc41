package io.reportpipes.serviceminder;

import io.reportpipes.jobs.Transform;
import io.reportpipes.jobs.Checkpoints;
import io.reportpipes.state.Database;
import io.reportpipes.state.JdbcCheckpointStore;
import io.reportpipes.state.LocalPostgres;
import io.reportpipes.state.RunSupersededException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cluster's download cap: two nodes (each its own pool, checkpoints and slots) on one real PostgreSQL. */
class SharedDownloadSlotsIT {

    private static final Transform CSV = new Transform("csv", "csv", List.of(), Map.of(), List.of(),
            DateTimeFormatter.ISO_LOCAL_DATE, false, 0);
    private static LocalPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.startOrSkip("SharedDownloadSlotsIT");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A node: its own connection pool, checkpoints and slots, on the shared tables. */
    private record Node(Database database, Checkpoints checkpoints, SharedDownloadSlots slots) implements AutoCloseable {
        static Node start(int cap) throws Exception {
            Database database = new Database(postgres.url(), "postgres", "", 4);
            Checkpoints checkpoints = new Checkpoints(new JdbcCheckpointStore(database, "checkpoints"), Clock.systemUTC());
            return new Node(database, checkpoints, new SharedDownloadSlots(database, cap, checkpoints, "checkpoints",
                    Duration.ofMinutes(15)));
        }

        /** A run of the job begun on this node (it takes the job's epoch). */
        ServiceminderRun run(String organisation, String kind) throws Exception {
            ServiceminderJob job = new ServiceminderJob(organisation, "k", 1, kind, Map.of(), "", "file:out", CSV, false);
            checkpoints.begin(job.id());
            return new ServiceminderRun(job, Clock.systemUTC(), null, null, null, null);
        }

        /** This node takes a run over from another (same run id): the job's epoch, and the run's state. */
        ServiceminderRun takeOver(ServiceminderRun run) throws Exception {
            checkpoints.begin(run.getJobId());
            return new ServiceminderRun(run.getJob(), Clock.systemUTC(), run.toState(), null, null, null);
        }

        @Override
        public void close() {
            database.close();
        }
    }

    @Test
    void givenTheCapTakenOnTwoNodes_whenAThirdDownloadStarts_thenItWaitsUntilOneIsFetched() throws Exception {
        try (Node a = Node.start(2); Node b = Node.start(2)) {
            ServiceminderRun contacts = a.run("capped", "contacts");
            ServiceminderRun invoices = b.run("capped", "invoices");
            ServiceminderRun services = b.run("capped", "services");
            a.slots().acquire(contacts);
            b.slots().acquire(invoices);

            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
                try {
                    a.slots().acquire(services);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> third.get(1, TimeUnit.SECONDS), "the cap is 2 across nodes");
            assertEquals(2, a.slots().inFlight("capped"));

            b.slots().release(invoices);
            third.get(10, TimeUnit.SECONDS);
            assertEquals(2, b.slots().inFlight("capped"));
            assertEquals(0, a.slots().inFlight("another"));
        }
    }

    @Test
    void givenARunTakenOverWithAPageFetchedAhead_whenTheNewNodeComesToThatPage_thenItTakesThePlaceAndTheDownload()
            throws Exception {
        try (Node old = Node.start(1); Node successor = Node.start(1)) {
            ServiceminderRun ahead = old.run("taken", "contacts");
            old.slots().acquire(ahead);
            ahead.downloadStarted("d-started-by-the-old-node");
            old.slots().started(ahead);
            // the old node's late release, after the takeover, is refused
            ServiceminderRun resumed = successor.takeOver(ahead);
            old.slots().release(ahead);
            assertEquals(1, successor.slots().inFlight("taken"), "a superseded node gives nothing back");

            resumed.downloadLost();
            successor.slots().acquire(resumed);

            assertEquals("d-started-by-the-old-node", resumed.getDownloadId(), "no second download for the page");
            assertEquals(1, successor.slots().inFlight("taken"), "the cap of 1 is not exceeded by the takeover");
            successor.slots().release(resumed);
            assertEquals(0, successor.slots().inFlight("taken"));
            assertFalse(resumed.isSlotHeld());
        }
    }

    @Test
    void givenARunTakenOver_whenThePausedNodeWakesAndFetchesAhead_thenItGetsNoPlaceAndStartsNoDownload()
            throws Exception {
        try (Node paused = Node.start(3); Node successor = Node.start(3)) {
            ServiceminderRun before = paused.run("overtaken", "contacts");
            paused.slots().acquire(before);
            // the successor resumes the run at page 1, inheriting its place, and goes on to page 2
            ServiceminderRun resumed = successor.takeOver(before);
            successor.slots().acquire(resumed);
            ServiceminderRun next = resumed.fetchAhead(25_001);
            successor.slots().acquire(next);
            assertEquals(2, successor.slots().inFlight("overtaken"));

            // the paused node wakes and asks for page 2 too, below the cap of 3: its successor's place, refused
            ServiceminderRun late = before.fetchAhead(25_001);
            assertThrows(RunSupersededException.class, () -> paused.slots().acquire(late));
            assertFalse(late.isSlotHeld(), "no place, so no startdownload");
            assertEquals(2, successor.slots().inFlight("overtaken"));
            successor.slots().release(resumed);
            successor.slots().release(next);
            assertEquals(0, successor.slots().inFlight("overtaken"));
        }
    }

    @Test
    void givenAPlaceLeftByARunThatEnded_whenHousekeepingRuns_thenItIsGivenBackAndAnUnfinishedRunsPlaceStays()
            throws Exception {
        try (Node node = Node.start(5)) {
            SharedDownloadSlots housekeeping = new SharedDownloadSlots(node.database(), 5, node.checkpoints(),
                    "checkpoints", Duration.ZERO);
            ServiceminderRun ended = node.run("kept", "contacts");
            node.slots().acquire(ended);
            ServiceminderRun unfinished = node.run("kept", "invoices");
            node.slots().acquire(unfinished);
            // the invoices run is the unfinished run of its job's checkpoint; the contacts run is in no checkpoint
            node.checkpoints().save(unfinished);

            assertEquals(1, housekeeping.removeStale());
            assertEquals(1, node.slots().inFlight("kept"));
        }
    }
}
