package io.reportpipes.jobs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryableFailuresTest {

    /** A sink client's exception, named in retry.sink-exceptions by its superclass. */
    static class SinkDown extends IllegalStateException {
    }

    static final class BrokerGone extends SinkDown {
    }

    private final RetryableFailures failures = new RetryableFailures(List.of(SinkDown.class.getName()));

    @Test
    void givenAVendorsPassingFailureOrAnIoError_thenItIsRetried() {
        assertTrue(failures.isRetryable(new TransientJobException("a 503")));
        assertTrue(failures.isRetryable(new IOException("reset")));
        assertTrue(failures.isRetryable(new IllegalStateException("wrapped", new UncheckedIOException(new IOException()))));
    }

    @Test
    void givenASinkExceptionNamedByItsClassOrASuperclass_thenItIsRetried() {
        assertTrue(failures.isRetryable(new SinkDown()));
        assertTrue(failures.isRetryable(new RuntimeException("delivery failed", new BrokerGone())));
    }

    @Test
    void givenAnyOtherFailure_thenItIsNotRetried() {
        assertFalse(failures.isRetryable(new IllegalArgumentException("a bad page")));
        assertFalse(failures.isRetryable(new PermanentJobException("refused")));
    }
}
