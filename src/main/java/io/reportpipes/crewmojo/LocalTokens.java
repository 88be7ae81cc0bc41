package io.reportpipes.crewmojo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens of one process (the default, single-process mode): see {@link CrewmojoTokens}.
 */
public final class LocalTokens implements CrewmojoTokens {

    private final TokenSource source;
    private final long refreshMarginNanos;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    /**
     * @param refreshMargin a token this close to its expiry is replaced before use (at most a quarter of its lifetime)
     */
    public LocalTokens(TokenSource source, Duration refreshMargin) {
        this.source = source;
        this.refreshMarginNanos = refreshMargin.toNanos();
    }

    @Override
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

    @Override
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
