package io.reportpipes.jobs;

/**
 * A failure that a later attempt may not meet: a bad or cut-short answer, an answer that was not the
 * expected format. The routes retry it with backoff, a bounded number of times.
 */
public class TransientJobException extends RuntimeException {

    public TransientJobException(String message) {
        super(message);
    }

    public TransientJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
