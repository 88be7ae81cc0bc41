package io.reportpipes.jobs;

/** A failure no retry can mend (a refused key, a missing UserId, a timeout we gave up on): the job fails at once. */
public class PermanentJobException extends RuntimeException {

    public PermanentJobException(String message) {
        super(message);
    }
}
