package dev.mizzen.bench.measure;

import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One change under measurement: made at {@code startNanos}, expected to reach the {@code expected} proxies
 * as a resource of {@code typeUrl} named in {@code resourceNames} that holds {@code marker}.
 *
 * <p>Threading: {@code expected} is never written after construction; each proxy's arrival is claimed once
 * through an atomic array, the latest ACK time is an atomic max, and the latch counts arrivals down.
 */
public final class PendingChange {
    private final String typeUrl;
    private final Set<String> resourceNames;
    private final Marker marker;
    private final BitSet expected;
    private final long startNanos;
    private final AtomicIntegerArray arrived;
    private final CountDownLatch remaining;
    private final AtomicLong lastAckNanos = new AtomicLong(Long.MIN_VALUE);

    PendingChange(String typeUrl, Set<String> resourceNames, Marker marker, BitSet expected, long startNanos) {
        this.typeUrl = typeUrl;
        this.resourceNames = Set.copyOf(resourceNames);
        this.marker = marker;
        this.expected = (BitSet) expected.clone();
        this.startNanos = startNanos;
        this.arrived = new AtomicIntegerArray(Math.max(1, expected.length()));
        this.remaining = new CountDownLatch(expected.cardinality());
    }

    String typeUrl() {
        return typeUrl;
    }

    Set<String> resourceNames() {
        return resourceNames;
    }

    Marker marker() {
        return marker;
    }

    boolean awaits(int proxy) {
        return expected.get(proxy) && arrived.get(proxy) == 0;
    }

    /** Records that {@code proxy} ACKed the change; returns true when it was the last one expected. */
    boolean arrive(int proxy, long ackNanos) {
        if (!arrived.compareAndSet(proxy, 0, 1)) {
            return false;
        }
        lastAckNanos.accumulateAndGet(ackNanos, Math::max);
        remaining.countDown();
        return remaining.getCount() == 0;
    }

    public int affected() {
        return expected.cardinality();
    }

    public int missing() {
        return (int) remaining.getCount();
    }

    public CountDownLatch latch() {
        return remaining;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Time from the change to the last expected ACK, once complete. */
    public long latencyNanos() {
        return lastAckNanos.get() - startNanos;
    }
}
