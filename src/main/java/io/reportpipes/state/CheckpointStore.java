package io.reportpipes.state;

import java.io.IOException;
import java.util.Optional;

/** Where checkpoints live: local files by default; kept small so another store (JDBC, a ConfigMap) is easy to add. */
public interface CheckpointStore {

    Optional<Checkpoint> load(String jobId) throws IOException;

    /** Replaces the job's checkpoint atomically: a crash leaves the old one or the new one, never half. */
    void save(String jobId, Checkpoint checkpoint) throws IOException;

    /** Throws when the store cannot be used now (readiness): the folder is not writable, the database is down. */
    void probe() throws IOException;
}
