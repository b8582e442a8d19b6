package dev.mizzen.pilot.xds;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Paces new ADS streams as Istio does (a rate with one second of burst): a stream reserves a turn and starts
 * when its turn comes; when that would be later than the longest wait, it is refused, so a connect storm waits
 * a little and then goes to another replica instead of piling up here. The generic cell rate algorithm: one
 * number, the theoretical arrival time of the next stream.
 *
 * <p>Thread-safe: reservations are made under this object's lock, on the injected clock.
 */
final class StreamRateLimiter {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private long theoreticalArrival;

    StreamRateLimiter(double perSecond, long maxWaitNanos, LongSupplier nanoClock) {
        this.intervalNanos = Math.max(1, (long) (1_000_000_000L / perSecond));
        this.toleranceNanos = Math.max(0, 1_000_000_000L - intervalNanos);
        this.maxWaitNanos = maxWaitNanos;
        this.nanoClock = nanoClock;
        this.theoreticalArrival = nanoClock.getAsLong();
    }

    /** How long the caller must wait for its turn, or empty when that is longer than allowed (refused). */
    synchronized OptionalLong reserve() {
        long now = nanoClock.getAsLong();
        long arrival = Math.max(theoreticalArrival, now);
        long wait = Math.max(0, arrival - now - toleranceNanos);
        if (wait > maxWaitNanos) {
            return OptionalLong.empty();
        }
        theoreticalArrival = arrival + intervalNanos;
        return OptionalLong.of(wait);
    }
}
