package dev.mizzen.pilot.networking.route;

import com.google.protobuf.Duration;
import dev.mizzen.api.networking.Durations;

/** Istio duration strings as protobuf Durations. Validation has run before, so values parse. */
public final class ProtoDurations {
    private ProtoDurations() {
    }

    public static Duration parse(String value) {
        return of(Durations.parse(value));
    }

    public static Duration of(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    public static Duration millis(long millis) {
        return of(java.time.Duration.ofMillis(millis));
    }
}
