package io.reportpipes.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One human-readable JSON file per job, at {@code <dir>/<vendor>/<account>/<report>.json}, replaced
 * by writing a temporary file, forcing it to disk and renaming it over the old one.
 */
public final class FileCheckpointStore implements CheckpointStore {

    private final Path dir;

    public FileCheckpointStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<Checkpoint> load(String jobId) throws IOException {
        Path file = file(jobId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(CheckpointJson.read(Files.readAllBytes(file), "The checkpoint " + file + " of " + jobId,
                "fix or delete it"));
    }

    /** One process owns the folder: no fencing, {@code epoch} is always 0. */
    @Override
    public void save(String jobId, Checkpoint checkpoint, long epoch) throws IOException {
        Path file = file(jobId);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(CheckpointJson.write(checkpoint)));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void probe() throws IOException {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException("the checkpoint folder " + dir + " is not writable");
        }
    }

    private Path file(String jobId) {
        return dir.resolve(jobId + ".json");
    }
}
