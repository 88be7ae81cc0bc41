package io.reportpipes.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The vendors' bad days, seeded: each call fails with probability {@code failRate} (one of the faults that fit
 * the call, chosen evenly) or has its connection reset with probability {@code resetRate}. The same seed and
 * the same sequence of calls give the same faults. Counts what it did, by fault.
 */
public final class Chaos {

    /** A connection closed before any answer. */
    public static final String RESET = "reset";
    private final Random random;
    private final double failRate;
    private final double resetRate;
    private final long slowMillis;
    private final Map<String, Long> counts = new TreeMap<>();

    /**
     * @param slow how long a "slow" answer waits before it starts (set it past the client's read timeout)
     */
    public Chaos(long seed, double failRate, double resetRate, java.time.Duration slow) {
        this.random = new Random(seed);
        this.failRate = failRate;
        this.resetRate = resetRate;
        this.slowMillis = slow.toMillis();
    }

    /** The fault for this call: null (none), {@link #RESET}, or one of {@code faults}. */
    public synchronized String draw(List<String> faults) {
        double r = random.nextDouble();
        String fault = r < resetRate ? RESET
                : r < resetRate + failRate && !faults.isEmpty() ? faults.get(random.nextInt(faults.size())) : null;
        if (fault != null) {
            counts.merge(fault, 1L, Long::sum);
        }
        return fault;
    }

    long slowMillis() {
        return slowMillis;
    }

    /** How often each fault was served. */
    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }
}
