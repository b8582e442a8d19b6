package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.Durations;

import java.time.Duration;

/**
 * Istio's rule for durations in config: readable (Go syntax, {@code 1.5s}, {@code 2m}), at least 1 ms and
 * in whole milliseconds, which is what Envoy can express.
 */
final class DurationRules {
    private static final Duration ONE_MS = Duration.ofMillis(1);

    private DurationRules() {
    }

    /** Checks a duration field; returns the parsed value, or null when it is absent or unreadable. */
    static Duration check(Findings out, FieldPath at, String text) {
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            out.error(at, e.getMessage());
            return null;
        }
        if (d.compareTo(ONE_MS) < 0) {
            out.error(at, "duration " + text + " must be at least 1ms");
        } else if (d.getNano() % 1_000_000 != 0) {
            out.error(at, "duration " + text + " must be in whole milliseconds");
        }
        return d;
    }
}
