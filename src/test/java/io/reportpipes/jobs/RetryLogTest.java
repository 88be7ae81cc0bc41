package io.reportpipes.jobs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wait a retry line announces is the one Camel's exponential backoff takes. */
class RetryLogTest {

    @Test
    void givenRetryDelays_whenRetriesFollowEachOther_thenTheWaitDoublesUpToItsCap() {
        RetryLog log = new RetryLog(new Backoff(100, 2, 1_000));

        assertEquals(100, log.wait(1));
        assertEquals(200, log.wait(2));
        assertEquals(800, log.wait(4));
        assertEquals(1_000, log.wait(5));
        assertEquals(1_000, log.wait(30));
    }

    @Test
    void givenAFixedDelay_whenRetried_thenEveryWaitIsIt() {
        RetryLog log = new RetryLog(new Backoff(20_000, 1, 20_000));

        assertEquals(20_000, log.wait(1));
        assertEquals(20_000, log.wait(30));
    }
}
