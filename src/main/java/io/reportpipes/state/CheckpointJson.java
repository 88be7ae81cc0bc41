package io.reportpipes.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;

/** Checkpoints as human-readable JSON, the same in every store. */
final class CheckpointJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            // a checkpoint written by a newer version still loads
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointJson() {
    }

    static byte[] write(Checkpoint checkpoint) throws IOException {
        return JSON.writeValueAsBytes(checkpoint);
    }

    /**
     * @param where names the checkpoint in the error, e.g. "The checkpoint file state/x.json of serviceminder/a/b"
     * @param fix   what to do about it, e.g. "fix or delete it"
     */
    static Checkpoint read(byte[] json, String where, String fix) throws IOException {
        try {
            return JSON.readValue(json, Checkpoint.class);
        } catch (IOException e) {
            // never silently start over: the job would download everything again, or lose its place
            throw new IOException(where + " is unreadable (" + e.getClass().getSimpleName() + "); " + fix
                    + " (without it the job starts over: its unfinished run from scratch, an incremental job from its"
                    + " first window)", e);
        }
    }
}
