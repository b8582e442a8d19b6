package dev.mizzen.pilot.push;

import java.time.Duration;
import java.util.Optional;

/**
 * The debouncer's arithmetic, on times it is given: requests that arrive close together merge, and the merged
 * request is due once things have been quiet for {@code quiet}, or {@code max} after the first request of the
 * burst at the latest (Istio: 100 ms, 10 s). Pure: tests drive it with their own clock.
 *
 * <p>Not thread-safe: {@link Debouncer} calls it under its lock.
 */
final class DebounceWindow {
    private final long quietNanos;
    private final long maxNanos;
    private PushRequest.Merger pending = new PushRequest.Merger();
    private long first;
    private long last;

    DebounceWindow(Duration quiet, Duration max) {
        this.quietNanos = quiet.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** Adds a request that arrived at {@code now}. */
    void add(PushRequest request, long now) {
        if (pending.isEmpty()) {
            first = now;
        }
        pending.add(request);
        last = now;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** When the pending requests are due; meaningless when there are none. */
    long due() {
        return Math.min(last + quietNanos, first + maxNanos);
    }

    /** The merged request if it is due at {@code now}, which empties the window; else empty. */
    Optional<PushRequest> takeIfDue(long now) {
        if (pending.isEmpty() || now < due()) {
            return Optional.empty();
        }
        PushRequest merged = pending.merged();
        pending = new PushRequest.Merger();
        return Optional.of(merged);
    }
}
