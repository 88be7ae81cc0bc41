package io.reportpipes.jobs;

import java.time.Duration;

/** Waits between polls of a vendor: a first interval, multiplied by a factor after each not-ready answer, up to a cap. */
public record Backoff(long firstMillis, double factor, long capMillis) {

    /** @param factorKey the factor's setting, for the message, e.g. serviceminder.poll.factor */
    public static Backoff of(Duration first, double factor, Duration cap, String factorKey) {
        if (factor < 1) {
            throw new IllegalArgumentException(factorKey + " must be >= 1, not " + factor);
        }
        return new Backoff(first.toMillis(), factor, Math.max(cap.toMillis(), first.toMillis()));
    }

    public long next(long currentMillis) {
        return Math.min(capMillis, (long) Math.ceil(currentMillis * factor));
    }

    /** A duration as a person reads it in a log line: 5m, 1m30s, 0.25s. */
    public static String format(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }
}
