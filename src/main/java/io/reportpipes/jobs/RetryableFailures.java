package io.reportpipes.jobs;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Which failures are retried with retry.* (the vendor-retries route configuration asks): a passing failure on
 * the vendor's side ({@link TransientJobException}, a Crewmojo 401 included), an I/O error, or a sink that is down,
 * told by its client's exception class (retry.sink-exceptions). Sink classes are matched by name, the exception's
 * and its causes' class hierarchies, so that naming the S3 or JMS client's exception does not need that client
 * on the class path of a pod that has no such sink.
 */
public final class RetryableFailures {

    private final Set<String> sinkExceptions;

    public RetryableFailures(List<String> sinkExceptions) {
        this.sinkExceptions = Set.copyOf(sinkExceptions);
    }

    /** Camel passes the exchange's exception. */
    public boolean isRetryable(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientJobException || cause instanceof IOException) {
                return true;
            }
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (sinkExceptions.contains(type.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
