package io.reportpipes.crewmojo;

import io.reportpipes.state.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Cluster mode: one token per client id for every node, in a row of the state database. A node that needs a token
 * locks its client's row ({@code SELECT … FOR UPDATE}) and either reuses the token there or, still holding the lock,
 * fetches a new one, so that two nodes never fetch at once (each fetch invalidates the client's earlier tokens).
 * Freshness is judged by the database's clock, the same for every node.
 */
public final class SharedTokens implements CrewmojoTokens {

    static final String TABLE = "report_pipes_crewmojo_tokens";
    private final Database database;
    private final TokenSource source;
    private final Duration refreshMargin;
    private final Duration lockWait;

    /**
     * @param lockWait how long a node waits for another's fetch of the same client's token before the call fails
     *                 (and is retried like any outage)
     */
    public SharedTokens(Database database, TokenSource source, Duration refreshMargin, Duration lockWait)
            throws IOException {
        this.database = database;
        this.source = source;
        this.refreshMargin = refreshMargin;
        this.lockWait = lockWait;
        database.createIfMissing("the table " + TABLE, "CREATE TABLE IF NOT EXISTS " + TABLE
                + " (client_id varchar(400) PRIMARY KEY, token text, issued_at timestamptz, expires_at timestamptz)");
    }

    @Override
    public String token(CrewmojoClient client) throws Exception {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                String token = lockedFreshToken(connection, client.clientId());
                if (token == null) {
                    Token fetched = source.fetch(client);
                    store(connection, client.clientId(), fetched);
                    token = fetched.value();
                }
                connection.commit();
                return token;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw database.failure("could not read or store the Crewmojo token of " + client, e);
        }
    }

    /** Locks the client's row (making it if needed); its token if it is not about to expire, else null. */
    private String lockedFreshToken(Connection connection, String clientId) throws SQLException {
        try (Statement wait = connection.createStatement()) {
            wait.execute("SET LOCAL lock_timeout = '" + lockWait.toMillis() + "ms'");
        }
        try (PreparedStatement row = connection.prepareStatement("INSERT INTO " + TABLE
                + " (client_id) VALUES (?) ON CONFLICT (client_id) DO NOTHING")) {
            row.setString(1, clientId);
            row.executeUpdate();
        }
        // fresh: not within the margin of its expiry, the margin at most a quarter of its lifetime (as LocalTokens)
        try (PreparedStatement select = connection.prepareStatement("SELECT token, expires_at - least(? * interval"
                + " '1 millisecond', (expires_at - issued_at) / 4) > now() FROM " + TABLE
                + " WHERE client_id = ? FOR UPDATE")) {
            select.setLong(1, refreshMargin.toMillis());
            select.setString(2, clientId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                String token = row.getString(1);
                return token != null && row.getBoolean(2) ? token : null;
            }
        }
    }

    private static void store(Connection connection, String clientId, Token token) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET token = ?,"
                + " issued_at = now(), expires_at = now() + ? * interval '1 millisecond' WHERE client_id = ?")) {
            update.setString(1, token.value());
            update.setLong(2, token.lifetime().toMillis());
            update.setString(3, clientId);
            update.executeUpdate();
        }
    }

    @Override
    public void rejected(CrewmojoClient client, String rejected) throws IOException {
        try (Connection connection = database.connection();
             PreparedStatement forget = connection.prepareStatement("UPDATE " + TABLE + " SET token = NULL"
                     + " WHERE client_id = ? AND token = ?")) {
            forget.setString(1, client.clientId());
            forget.setString(2, rejected);
            forget.executeUpdate();
        } catch (SQLException e) {
            throw database.failure("could not forget the refused Crewmojo token of " + client, e);
        }
    }
}
