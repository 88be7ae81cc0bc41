package io.reportpipes.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC checkpoint store against a real PostgreSQL server started for the test. */
class JdbcCheckpointStoreIT {

    private static LocalPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.startOrSkip("JdbcCheckpointStoreIT");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static JdbcCheckpointStore store(String table) throws IOException {
        return new JdbcCheckpointStore(new Database(postgres.url(), "postgres", "", 4), table);
    }

    @Test
    void givenEightNodesStartingTogether_whenEachCreatesTheTable_thenAllStartAndShareIt() throws Exception {
        // PostgreSQL's CREATE TABLE IF NOT EXISTS fails in one of two sessions creating the same name at once
        // (two replicas of a new deployment did, on the Camel K runtime): the creation is serialised
        ExecutorService nodes = Executors.newFixedThreadPool(8);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
        try {
            List<Future<JdbcCheckpointStore>> started = new ArrayList<>();
            for (int node = 0; node < 8; node++) {
                started.add(nodes.submit(() -> {
                    together.await();
                    return store("started_together");
                }));
            }
            List<JdbcCheckpointStore> stores = new ArrayList<>();
            for (Future<JdbcCheckpointStore> node : started) {
                stores.add(node.get());
            }
            assertEquals(1, stores.get(7).claim("serviceminder/north/contacts").epoch());
            assertEquals(2, stores.get(0).claim("serviceminder/north/contacts").epoch(), "one table for all");
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    void givenARunTakenOverByAnotherNode_whenTheFirstSaves_thenItsSaveIsRefusedAndTheNewOwnersCheckpointStays()
            throws Exception {
        JdbcCheckpointStore store = store("fenced_checkpoints");
        String jobId = "serviceminder/a/contacts";
        CheckpointStore.Claim first = store.claim(jobId);
        store.save(jobId, new Checkpoint(null, null, "by-first", null, null), first.epoch());

        CheckpointStore.Claim second = store.claim(jobId);
        assertEquals("by-first", second.checkpoint().updatedAt(), "the new owner reads where the first one was");
        store.save(jobId, new Checkpoint(null, null, "by-second", null, null), second.epoch());

        assertEquals(first.epoch() + 1, second.epoch());
        assertThrows(RunSupersededException.class,
                () -> store.save(jobId, new Checkpoint(null, null, "late", null, null), first.epoch()));
        assertThrows(RunSupersededException.class, () -> store.requireEpoch(jobId, first.epoch()));
        store.requireEpoch(jobId, second.epoch());
        assertEquals("by-second", store.load(jobId).orElseThrow().updatedAt());
    }

    @Test
    void givenANewJob_whenClaimed_thenItStartsWithNoCheckpointAtEpochOne() throws Exception {
        CheckpointStore.Claim claim = store("new_checkpoints").claim("crewmojo/hr/goals.progress");

        assertEquals(Checkpoint.NONE, claim.checkpoint());
        assertEquals(1, claim.epoch());
    }

    @Test
    void givenAFreshDatabase_whenStarting_thenTheTableIsCreatedAndEmpty() throws Exception {
        assertEquals(Optional.empty(), store("fresh_checkpoints").load("serviceminder/a/contacts"));
        // a second start finds the table there
        assertEquals(Optional.empty(), store("fresh_checkpoints").load("serviceminder/a/contacts"));
    }

    @Test
    void givenSaves_whenLoaded_thenTheLatestComesBackWhole() throws Exception {
        JdbcCheckpointStore store = store("checkpoints");
        RunState run = new RunState("20260101T000000Z", "01/01/2026 00:00:00", "02/01/2026 00:00:00", 3, 75_000,
                1_234_567, 75_998, false, "4a49ff91", "2026-02-01T00:00:05Z", null, null);
        store.save("serviceminder/a/contacts", new Checkpoint(null, null, "t1", null, null));
        store.save("serviceminder/a/contacts", new Checkpoint("01/01/2026 00:00:00", "r0", "t2", run, null));

        assertEquals(Optional.of(new Checkpoint("01/01/2026 00:00:00", "r0", "t2", run, null)),
                store.load("serviceminder/a/contacts"));
    }

    @Test
    void givenManyJobsSavingAtOnce_whenLoaded_thenEachHasItsOwnLastCheckpoint() throws Exception {
        JdbcCheckpointStore store = store("concurrent_checkpoints");
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int job = 0; job < 6; job++) {
            String jobId = "serviceminder/org-" + job + "/contacts";
            jobs.add(() -> {
                for (int page = 1; page <= 30; page++) {
                    store.save(jobId, new Checkpoint(null, null, null,
                            new RunState("run", null, null, page, 0, 0, page * 100L, false, null, null, null, null), null));
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (Future<Void> done : pool.invokeAll(jobs)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int job = 0; job < 6; job++) {
            assertEquals(3000, store.load("serviceminder/org-" + job + "/contacts").orElseThrow().run().cursor());
        }
    }

    @Test
    void givenACorruptRow_whenLoading_thenTheErrorNamesTheJobAndTableAndNothingIsReset() throws Exception {
        JdbcCheckpointStore store = store("corrupt_checkpoints");
        store.save("crewmojo/hr/goals.progress", new Checkpoint("20260101", null, null, null, null));
        try (Connection connection = DriverManager.getConnection(postgres.url(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE corrupt_checkpoints SET checkpoint = '{\"run\": 42}'::jsonb");
        }

        IOException error = assertThrows(IOException.class, () -> store.load("crewmojo/hr/goals.progress"));

        assertTrue(error.getMessage().contains("crewmojo/hr/goals.progress in table corrupt_checkpoints"),
                error.getMessage());
        assertTrue(error.getMessage().contains("fix or delete its row"), error.getMessage());
    }

    @Test
    void givenTheDatabaseIsDown_whenSaving_thenAnIOExceptionNamesTheStoreButNoPassword() {
        IOException error = assertThrows(IOException.class, () -> new JdbcCheckpointStore(
                new Database("jdbc:postgresql://127.0.0.1:1/none", "postgres", "pw-never-shown-31", 1), "checkpoints"));

        assertTrue(error.getMessage().contains("jdbc:postgresql://127.0.0.1:1/none"), error.getMessage());
        assertTrue(error.getMessage().contains("refused"), error.getMessage());
        assertTrue(!error.getMessage().contains("pw-never-shown-31"));
    }
}
