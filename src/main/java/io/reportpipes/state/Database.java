package io.reportpipes.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL database of state.store = jdbc: a small connection pool (HikariCP) shared by the checkpoint
 * store and, in cluster mode, by the Crewmojo token row and the download cap. Errors name the database, never the
 * password.
 */
public final class Database implements AutoCloseable {

    private final String url;
    private final HikariDataSource pool;

    public Database(String url, String user, String password, int poolSize) {
        this.url = url;
        HikariConfig config = new HikariConfig();
        config.setPoolName("report-pipes-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        // start-up does not fail on a database that is still coming up: the first call does, and is retried
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        this.pool = new HikariDataSource(config);
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Creates a table (or what else {@code ddl} says, "IF NOT EXISTS") in one transaction, one node at a time:
     * PostgreSQL's IF NOT EXISTS does not hold against another session creating the same name at that moment
     * (two replicas starting together: "duplicate key value violates unique constraint pg_type_typname_nsp_index").
     */
    public void createIfMissing(String what, String... ddl) throws IOException {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(hashtext('report-pipes/schema'))");
                for (String sql : ddl) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("could not create " + what, e);
        }
    }

    /** An IOException, so the routes retry it like any other outage. */
    public IOException failure(String what, SQLException e) {
        // the pool's timeout names the driver's reason (refused, authentication) only in its cause
        String cause = e.getCause() instanceof SQLException driver ? " (" + driver.getMessage() + ")" : "";
        return new IOException("Database (" + url + "): " + what + ": " + e.getMessage() + cause + " (SQLState "
                + e.getSQLState() + ")", e);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "database " + url;
    }
}
