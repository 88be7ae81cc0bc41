package io.reportpipes.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checkpoints in a PostgreSQL table, one row per job, for deployments whose pods (and local disks) are
 * replaced. The table is created at start-up if it is missing; a save is one upsert, so a crash leaves
 * the old row or the new one. The JSON is the same as the file store's.
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private final String url;
    private final String user;
    private final String password;
    private final String table;

    public JdbcCheckpointStore(String url, String user, String password, String table) throws IOException {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("state.jdbc.table '" + table + "' is not a plain lower-case table name");
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (job_id varchar(400) PRIMARY KEY, "
                    + "checkpoint jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            throw failure("could not create the checkpoint table " + table, e);
        }
    }

    @Override
    public Optional<Checkpoint> load(String jobId) throws IOException {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT checkpoint::text FROM " + table
                     + " WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(CheckpointJson.read(row.getString(1).getBytes(StandardCharsets.UTF_8),
                        "The checkpoint of " + jobId + " in table " + table, "fix or delete its row"));
            }
        } catch (SQLException e) {
            throw failure("could not read the checkpoint of " + jobId, e);
        }
    }

    @Override
    public void save(String jobId, Checkpoint checkpoint) throws IOException {
        try (Connection connection = connect();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                     + " (job_id, checkpoint, updated_at) VALUES (?, ?::jsonb, now()) ON CONFLICT (job_id) DO UPDATE"
                     + " SET checkpoint = EXCLUDED.checkpoint, updated_at = EXCLUDED.updated_at")) {
            upsert.setString(1, jobId);
            upsert.setString(2, new String(CheckpointJson.write(checkpoint), StandardCharsets.UTF_8));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw failure("could not save the checkpoint of " + jobId, e);
        }
    }

    @Override
    public void probe() throws IOException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " LIMIT 1").close();
        } catch (SQLException e) {
            throw failure("unusable", e);
        }
    }

    /** One connection per call: a few calls per page, and nothing to go stale while a job waits for hours. */
    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** An IOException, so the routes retry it like any other outage; names the database, never the password. */
    private IOException failure(String what, SQLException e) {
        return new IOException("Checkpoint store (" + url + "): " + what + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }
}
