package dev.mizzen.istiod.analysis;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether the leader writes live analysis messages into each Istio config object's {@code status.validationMessages},
 * and how fast. Off by default, as in Istio, where {@code PILOT_ENABLE_STATUS} and {@code PILOT_ENABLE_ANALYSIS} (the
 * chart's {@code global.istiod.enableAnalysis}) both default to false; Istio's documentation asks for both, its code
 * writes analysis messages under the second. Mizzen's analysis always runs (for {@code /debug/analyze} and the gauge),
 * so either variable turns the writes on.
 *
 * @param writes          whether status is written
 * @param writesPerSecond the most status writes a second ({@code PILOT_STATUS_QPS}, Istio's default 100)
 */
public record StatusSettings(Writes writes, double writesPerSecond) {
    /** Istio's {@code PILOT_STATUS_QPS} default. */
    public static final double ISTIO_QPS = 100;
    public static final StatusSettings OFF = new StatusSettings(Writes.OFF, ISTIO_QPS);
    public static final StatusSettings ON = new StatusSettings(Writes.ON, ISTIO_QPS);

    /** Go's strconv.ParseBool true values, which Istio's env settings accept. */
    private static final Set<String> GO_TRUE = Set.of("1", "t", "true");

    public enum Writes { OFF, ON }

    public StatusSettings {
        if (writes == null) {
            writes = Writes.OFF;
        }
        if (!(writesPerSecond > 0) || writesPerSecond > 10_000) {
            throw new IllegalArgumentException("status writes per second must be in (0, 10000], got " + writesPerSecond);
        }
    }

    public boolean enabled() {
        return writes == Writes.ON;
    }

    public StatusSettings withWritesPerSecond(double qps) {
        return new StatusSettings(writes, qps);
    }

    /**
     * Istio's environment: writes when {@code PILOT_ENABLE_STATUS} or {@code PILOT_ENABLE_ANALYSIS} is true, at
     * {@code PILOT_STATUS_QPS}. An unreadable rate is a user's mistake and says so.
     */
    public static StatusSettings fromEnvironment(Map<String, String> env) {
        boolean on = isTrue(env.get("PILOT_ENABLE_STATUS")) || isTrue(env.get("PILOT_ENABLE_ANALYSIS"));
        double qps = ISTIO_QPS;
        String rate = env.get("PILOT_STATUS_QPS");
        if (rate != null && !rate.isBlank()) {
            try {
                qps = Double.parseDouble(rate.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PILOT_STATUS_QPS is not a number: " + rate);
            }
        }
        return new StatusSettings(on ? Writes.ON : Writes.OFF, qps);
    }

    private static boolean isTrue(String value) {
        return value != null && GO_TRUE.contains(value.trim().toLowerCase(Locale.ROOT));
    }
}
