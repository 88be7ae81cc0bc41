package io.reportpipes.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checkpoints in a PostgreSQL table, one row per job, for deployments whose pods (and local disks) are
 * replaced. The table is created at start-up if it is missing; a save is one statement, so a crash leaves
 * the old row or the new one. The JSON is the same as the file store's.
 * <p>
 * Fenced: a run takes the job by moving its row's epoch up by one, and each of its saves is conditional on that
 * epoch. A node that was paused while its run was recovered elsewhere finds its saves refused.
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private final Database database;
    private final String table;

    public JdbcCheckpointStore(Database database, String table) throws IOException {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("state.jdbc.table '" + table + "' is not a plain lower-case table name");
        }
        this.database = database;
        this.table = table;
        database.createIfMissing("the checkpoint table " + table,
                "CREATE TABLE IF NOT EXISTS " + table + " (job_id varchar(400) PRIMARY KEY, "
                        + "checkpoint jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())",
                // tables made before fencing get the column
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0");
    }

    @Override
    public Optional<Checkpoint> load(String jobId) throws IOException {
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement("SELECT checkpoint::text FROM " + table
                     + " WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(jobId, row.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw database.failure("could not read the checkpoint of " + jobId, e);
        }
    }

    @Override
    public Claim claim(String jobId) throws IOException {
        try (Connection connection = database.connection();
             PreparedStatement claim = connection.prepareStatement("INSERT INTO " + table + " AS t (job_id, checkpoint,"
                     + " epoch) VALUES (?, ?::jsonb, 1) ON CONFLICT (job_id) DO UPDATE SET epoch = t.epoch + 1"
                     + " RETURNING t.checkpoint::text, t.epoch")) {
            claim.setString(1, jobId);
            claim.setString(2, json(Checkpoint.NONE));
            try (ResultSet row = claim.executeQuery()) {
                row.next();
                return new Claim(read(jobId, row.getString(1)), row.getLong(2));
            }
        } catch (SQLException e) {
            throw database.failure("could not take the checkpoint of " + jobId, e);
        }
    }

    @Override
    public void save(String jobId, Checkpoint checkpoint, long epoch) throws IOException {
        String sql = epoch == 0
                ? "INSERT INTO " + table + " (job_id, checkpoint, updated_at) VALUES (?, ?::jsonb, now())"
                        + " ON CONFLICT (job_id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()"
                : "UPDATE " + table + " SET checkpoint = ?::jsonb, updated_at = now() WHERE job_id = ? AND epoch = ?";
        int saved;
        try (Connection connection = database.connection(); PreparedStatement save = connection.prepareStatement(sql)) {
            if (epoch == 0) {
                save.setString(1, jobId);
                save.setString(2, json(checkpoint));
            } else {
                save.setString(1, json(checkpoint));
                save.setString(2, jobId);
                save.setLong(3, epoch);
            }
            saved = save.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("could not save the checkpoint of " + jobId, e);
        }
        if (saved == 0) {
            throw new RunSupersededException(jobId, epoch);
        }
    }

    @Override
    public void requireEpoch(String jobId, long epoch) throws IOException {
        if (epoch == 0) {
            return;
        }
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement("SELECT epoch FROM " + table + " WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getLong(1) != epoch) {
                    throw new RunSupersededException(jobId, epoch);
                }
            }
        } catch (SQLException e) {
            throw database.failure("could not read the checkpoint epoch of " + jobId, e);
        }
    }

    @Override
    public void probe() throws IOException {
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " LIMIT 1").close();
        } catch (SQLException e) {
            throw database.failure("unusable", e);
        }
    }

    private Checkpoint read(String jobId, String json) throws IOException {
        return CheckpointJson.read(json.getBytes(StandardCharsets.UTF_8), "The checkpoint of " + jobId + " in table "
                + table, "fix or delete its row");
    }

    private static String json(Checkpoint checkpoint) throws IOException {
        return new String(CheckpointJson.write(checkpoint), StandardCharsets.UTF_8);
    }
}
