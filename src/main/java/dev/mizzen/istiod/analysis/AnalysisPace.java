package dev.mizzen.istiod.analysis;

import java.time.Duration;

/**
 * When the next live analysis may start: at most one per interval, the first at once. Istio runs its analyzers at
 * most every {@code PILOT_ANALYSIS_INTERVAL} (10 s by default); after every push, as Mizzen first did, the analysis
 * (mostly converting every Pod and Service) took two thirds of istiod's CPU under 5 endpoint changes a second.
 *
 * <p>Not thread-safe: the analysis thread asks {@link #delayNanos} and records {@link #started} under the lock of
 * its owner.
 */
final class AnalysisPace {
    static final Duration ISTIO_INTERVAL = Duration.ofSeconds(10);

    private final long intervalNanos;
    private long lastStart;
    private boolean ever;

    AnalysisPace(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the analysis interval must not be negative: " + interval);
        }
        this.intervalNanos = interval.toNanos();
    }

    /** How long a request made at {@code now} (System.nanoTime) waits before its analysis starts. */
    long delayNanos(long now) {
        if (!ever) {
            return 0;
        }
        return Math.max(0, lastStart + intervalNanos - now);
    }

    void started(long now) {
        lastStart = now;
        ever = true;
    }
}
