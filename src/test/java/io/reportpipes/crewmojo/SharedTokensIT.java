package io.reportpipes.crewmojo;

import io.reportpipes.state.Database;
import io.reportpipes.state.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The cluster's token row: several nodes (here, SharedTokens on separate pools) on one real PostgreSQL. */
class SharedTokensIT {

    private static LocalPostgres postgres;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.startOrSkip("SharedTokensIT");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A node's token cache: its own pool on the shared database; the vendor issues "token-N", slowly. */
    private SharedTokens node(Database database, Duration lifetime) throws Exception {
        return new SharedTokens(database, client -> {
            Thread.sleep(50);
            return CrewmojoTokens.Token.issued("token-" + fetches.incrementAndGet(), lifetime);
        }, Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    @Test
    void givenThreeNodesAskingAtOnce_whenNoTokenIsThere_thenOneIsFetchedAndAllUseIt() throws Exception {
        CrewmojoClient client = client("at-once");
        List<Database> pools = List.of(pool(), pool(), pool());
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (Database pool : pools) {
                SharedTokens tokens = node(pool, Duration.ofMinutes(30));
                for (int i = 0; i < 4; i++) {
                    calls.add(() -> tokens.token(client));
                }
            }
            Set<String> seen = ConcurrentHashMap.newKeySet();
            ExecutorService threads = Executors.newFixedThreadPool(12);
            try {
                for (Future<String> token : threads.invokeAll(calls)) {
                    seen.add(token.get());
                }
            } finally {
                threads.shutdown();
            }

            assertEquals(1, fetches.get(), "one fetch for the client, whichever node asked first");
            assertEquals(Set.of("token-1"), seen);
        } finally {
            pools.forEach(Database::close);
        }
    }

    @Test
    void givenATokenRefusedOnOneNodeAfterAnotherReplacedIt_whenForgotten_thenTheReplacementStays() throws Exception {
        CrewmojoClient client = client("refused");
        try (Database first = pool(); Database second = pool()) {
            SharedTokens a = node(first, Duration.ofMinutes(30));
            SharedTokens b = node(second, Duration.ofMinutes(30));
            String stale = a.token(client);
            b.rejected(client, stale);
            String replacement = b.token(client);

            // node a's request with the stale token got its 401 late: the replacement b fetched must stay
            a.rejected(client, stale);

            assertNotEquals(stale, replacement);
            assertEquals(replacement, a.token(client));
            assertEquals(2, fetches.get());
        }
    }

    @Test
    void givenATokenWithinItsRefreshMargin_whenAsked_thenANewOneIsFetchedOnce() throws Exception {
        CrewmojoClient client = client("margin");
        try (Database database = pool()) {
            // lives 2 s: the 5 min margin is capped at a quarter of that, so it is fresh for 1.5 s
            SharedTokens tokens = node(database, Duration.ofSeconds(2));
            String first = tokens.token(client);
            assertEquals(first, tokens.token(client));
            Thread.sleep(1_700);
            String second = tokens.token(client);

            assertNotEquals(first, second);
            assertEquals(second, tokens.token(client));
            assertEquals(2, fetches.get());
        }
    }

    /** A client of its own per test (the tests share the database). */
    private static CrewmojoClient client(String id) {
        return new CrewmojoClient(id, "client-" + id, "secret-" + id, "secret");
    }

    private static Database pool() {
        return new Database(postgres.url(), "postgres", "", 4);
    }
}
