package dev.mizzen.pilot.xds;

import java.time.Duration;

/**
 * How fast a draining istiod sheds its ADS streams: evenly over the drain window, so the proxies reconnect to
 * the other replicas as a steady trickle instead of a storm (each reconnect costs the receiving replica a full
 * push for that proxy). Pure: how many of the streams open when the drain began should be closed by a moment.
 *
 * @param window the drain window; every stream is closed by its end
 */
public record DrainPace(Duration window) {
    public DrainPace {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the drain window must not be negative, got " + window);
        }
    }

    /** How many of {@code streams} should be closed {@code elapsed} after the drain began: a linear ramp, all at the end. */
    public int closedBy(Duration elapsed, int streams) {
        if (window.isZero() || elapsed.compareTo(window) >= 0) {
            return streams;
        }
        if (elapsed.isNegative()) {
            return 0;
        }
        // at least one at once: a drain of a few streams should not wait for its first slot
        long due = (long) Math.ceil((double) streams * elapsed.toNanos() / window.toNanos());
        return (int) Math.max(Math.min(due, streams), Math.min(1, streams));
    }
}
