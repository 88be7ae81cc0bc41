package io.reportpipes.state;

import java.io.IOException;
import java.util.Optional;

/**
 * Where checkpoints live: local files by default, a PostgreSQL table for pods. A store that fences (the table)
 * gives each run an epoch when it takes the job, and refuses the saves of a run whose epoch is no longer the job's:
 * that run was taken over by another node.
 */
public interface CheckpointStore {

    /** A job taken for a run: its checkpoint, and the epoch the run's saves must match (0: not fenced). */
    record Claim(Checkpoint checkpoint, long epoch) {
    }

    Optional<Checkpoint> load(String jobId) throws IOException;

    /** Takes the job for a run that starts or resumes now; a fencing store makes every earlier run's epoch stale. */
    default Claim claim(String jobId) throws IOException {
        return new Claim(load(jobId).orElse(Checkpoint.NONE), 0);
    }

    /**
     * Replaces the job's checkpoint atomically: a crash leaves the old one or the new one, never half.
     *
     * @param epoch the saving run's epoch (0: unconditional)
     * @throws RunSupersededException when the job's epoch is no longer {@code epoch}
     */
    void save(String jobId, Checkpoint checkpoint, long epoch) throws IOException;

    /** An unconditional save (tests, tools). */
    default void save(String jobId, Checkpoint checkpoint) throws IOException {
        save(jobId, checkpoint, 0);
    }

    /** Throws {@link RunSupersededException} when {@code epoch} is no longer the job's (never for epoch 0). */
    default void requireEpoch(String jobId, long epoch) throws IOException {
    }

    /** Throws when the store cannot be used now (readiness): the folder is not writable, the database is down. */
    void probe() throws IOException;
}
