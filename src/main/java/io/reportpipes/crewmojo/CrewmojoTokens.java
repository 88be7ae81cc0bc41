package io.reportpipes.crewmojo;

import java.io.IOException;
import java.time.Duration;

/**
 * One bearer token per Crewmojo client id, shared by every job of that client. Crewmojo invalidates every earlier
 * token of a client id when it issues a new one, so a token is fetched only when there is none, when it is about to
 * expire, or when the one a request was rejected with is still the current one; one fetch per client at a time.
 * In this process ({@link LocalTokens}) or, in cluster mode, across every node ({@link SharedTokens}). Tokens never
 * leave these classes except to a request.
 */
public interface CrewmojoTokens {

    /** A token, when it was issued and when it stops being valid (System.nanoTime based). */
    record Token(String value, long issuedAtNanos, long expiresAtNanos) {

        /** A token the vendor just issued, valid for {@code lifetime} (its expires_in). */
        public static Token issued(String value, Duration lifetime) {
            long now = System.nanoTime();
            return new Token(value, now, now + lifetime.toNanos());
        }

        public Duration lifetime() {
            return Duration.ofNanos(expiresAtNanos - issuedAtNanos);
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
    interface TokenSource {
        Token fetch(CrewmojoClient client) throws Exception;
    }

    /** The client's current token, fetching one when there is none or it is about to expire. */
    String token(CrewmojoClient client) throws Exception;

    /**
     * A request with {@code rejected} got 401: forget that token, unless another job already replaced it (then
     * fetching again would invalidate the replacement that job is using).
     */
    void rejected(CrewmojoClient client, String rejected) throws IOException;
}
