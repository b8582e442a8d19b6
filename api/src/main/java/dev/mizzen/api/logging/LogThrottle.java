package dev.mizzen.api.logging;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Lets a kind of log line through at most {@code burst} times at once and then once per {@code interval}, and
 * says how many were held back, so a client that repeats itself (a NACK loop, a flood of refused streams)
 * costs a few lines, not one per event.
 *
 * <p>Thread-safe: one lock per throttle; meant to be kept per proxy or per kind of event.
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final int burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;
    private long suppressed;

    public LogThrottle(int burst, Duration interval) {
        this(burst, interval, System::nanoTime);
    }

    public LogThrottle(int burst, Duration interval, LongSupplier nanoClock) {
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /**
     * Empty when the line must be dropped; otherwise how many lines were dropped since the last one let
     * through (to be said in the line).
     */
    public synchronized OptionalLong admit() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
        last = now;
        if (tokens < 1) {
            suppressed++;
            return OptionalLong.empty();
        }
        tokens -= 1;
        long dropped = suppressed;
        suppressed = 0;
        return OptionalLong.of(dropped);
    }

    /** {@code ""}, or {@code " (N similar lines dropped)"} to append to a line let through. */
    public static String dropped(long count) {
        return count == 0 ? "" : " (" + count + " similar lines dropped)";
    }
}
