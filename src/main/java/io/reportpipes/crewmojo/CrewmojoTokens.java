package io.reportpipes.crewmojo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bearer token per Crewmojo client id, shared by every job of that client. Crewmojo invalidates
 * every earlier token of a client id when it issues a new one, so a token is fetched only when there
 * is none, when it is about to expire, or when the one a request was rejected with is still the
 * current one; one fetch per client at a time. Tokens never leave this class except to a request.
 */
public final class CrewmojoTokens {

    /** A token, when it was issued and when it stops being valid (System.nanoTime based). */
    public record Token(String value, long issuedAtNanos, long expiresAtNanos) {

        /** A token the vendor just issued, valid for {@code lifetime} (its expires_in). */
        public static Token issued(String value, Duration lifetime) {
            long now = System.nanoTime();
            return new Token(value, now, now + lifetime.toNanos());
        }

        /**
         * Replaced this long before its expiry: the refresh margin, but at most a quarter of the lifetime the
         * vendor answered, so that a margin longer than a token lives does not fetch a new token (each
         * invalidating the last) for every call.
         */
        long refreshBeforeNanos(long marginNanos) {
            return Math.min(marginNanos, (expiresAtNanos - issuedAtNanos) / 4);
        }

        @Override
        public String toString() {
            return "Token[****]";
        }
    }

    /** Asks the vendor for a new token (client credentials). */
    @FunctionalInterface
    public interface TokenSource {
        Token fetch(CrewmojoClient client) throws Exception;
    }

    private final TokenSource source;
    private final long refreshMarginNanos;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    /**
     * @param refreshMargin a token this close to its expiry is replaced before use (at most a quarter of its lifetime)
     */
    public CrewmojoTokens(TokenSource source, Duration refreshMargin) {
        this.source = source;
        this.refreshMarginNanos = refreshMargin.toNanos();
    }

    /** The client's current token, fetching one when there is none or it is about to expire. */
    public String token(CrewmojoClient client) throws Exception {
        String clientId = client.clientId();
        synchronized (lock(clientId)) {
            Token token = tokens.get(clientId);
            if (token == null || System.nanoTime() > token.expiresAtNanos() - token.refreshBeforeNanos(refreshMarginNanos)) {
                token = source.fetch(client);
                tokens.put(clientId, token);
                fetches.incrementAndGet();
            }
            return token.value();
        }
    }

    /**
     * A request with {@code rejected} got 401: forget that token, unless another job already replaced
     * it (then fetching again would invalidate the replacement that job is using).
     */
    public void rejected(CrewmojoClient client, String rejected) {
        String clientId = client.clientId();
        synchronized (lock(clientId)) {
            Token token = tokens.get(clientId);
            if (token != null && token.value().equals(rejected)) {
                tokens.remove(clientId);
            }
        }
    }

    /** Tokens fetched so far, all clients (for metrics and tests). */
    public long fetches() {
        return fetches.get();
    }

    private Object lock(String clientId) {
        return locks.computeIfAbsent(clientId, c -> new Object());
    }
}
