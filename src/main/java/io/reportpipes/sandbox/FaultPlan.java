package io.reportpipes.sandbox;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a sandbox is told to do wrong, and what it counted: faults injected into the next answers of a
 * call (an endpoint), used up as they are served, and counters per call or outcome.
 */
final class FaultPlan<F extends Enum<F>> {

    private record Injected<F>(String call, F fault, AtomicInteger remaining) {
    }

    /** A fixed answer (a malformed body from the bad-input corpus) for every call from the {@code from}-th on. */
    private record Fixture(String call, long from, int status, String contentType, byte[] body) {
    }

    private final List<Injected<F>> injected = new CopyOnWriteArrayList<>();
    private final List<Fixture> fixtures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    void inject(String call, F fault, int times) {
        injected.add(new Injected<>(call, fault, new AtomicInteger(times)));
    }

    /** The next fault due on this call, whatever its type, used up; null when none. */
    F next(String call) {
        for (Injected<F> fault : injected) {
            if (fault.call().equals(call) && fault.remaining().getAndDecrement() > 0) {
                return fault.fault();
            }
        }
        return null;
    }

    /** Whether a fault of this type is due on this call now (and uses it up). */
    boolean take(String call, F type) {
        for (Injected<F> fault : injected) {
            if (fault.call().equals(call) && fault.fault() == type && fault.remaining().getAndDecrement() > 0) {
                return true;
            }
        }
        return false;
    }

    void serve(String call, long from, int status, String contentType, byte[] body) {
        fixtures.add(new Fixture(call, from, status, contentType, body.clone()));
    }

    /** Answers with the fixture due on this call (its number counted already), if one is; false otherwise. */
    boolean answerWithFixture(String call, HttpExchange exchange) throws IOException {
        long number = counted(call);
        for (Fixture fixture : fixtures) {
            if (fixture.call().equals(call) && number >= fixture.from()) {
                SandboxServer.send(exchange, fixture.status(), fixture.contentType(), fixture.body());
                return true;
            }
        }
        return false;
    }

    void count(String what) {
        counts.computeIfAbsent(what, w -> new AtomicLong()).incrementAndGet();
    }

    long counted(String what) {
        AtomicLong count = counts.get(what);
        return count == null ? 0 : count.get();
    }
}
