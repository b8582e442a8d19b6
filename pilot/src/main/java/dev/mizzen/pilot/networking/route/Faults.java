package dev.mizzen.pilot.networking.route;

import dev.mizzen.api.networking.HttpFaultInjection;
import dev.mizzen.api.networking.Percent;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.grpc.Status;

import java.util.Locale;

/** Translates Istio's fault injection into the per-route config of Envoy's fault filter. Pure. */
public final class Faults {
    public static final String FILTER_NAME = "envoy.filters.http.fault";

    private Faults() {
    }

    public static HTTPFault translate(HttpFaultInjection fault) {
        HTTPFault.Builder out = HTTPFault.newBuilder();
        var delay = fault.delay();
        if (delay != null && delay.fixedDelay() != null) {
            out.setDelay(FaultDelay.newBuilder()
                    .setFixedDelay(ProtoDurations.parse(delay.fixedDelay()))
                    .setPercentage(percent(delay.percentage(), delay.percent())));
        }
        var abort = fault.abort();
        if (abort != null) {
            FaultAbort.Builder a = FaultAbort.newBuilder().setPercentage(percent(abort.percentage(), null));
            if (abort.grpcStatus() != null) {
                a.setGrpcStatus(grpcCode(abort.grpcStatus()));
            } else if (abort.httpStatus() != null) {
                a.setHttpStatus(abort.httpStatus());
            }
            out.setAbort(a);
        }
        return out.build();
    }

    /** Istio's Percent (0-100, fractions allowed) as parts per million; absent means always. */
    static FractionalPercent percent(Percent percentage, Integer legacyPercent) {
        double value = 100;
        if (percentage != null && percentage.value() != null) {
            value = percentage.value();
        } else if (legacyPercent != null) {
            value = legacyPercent;
        }
        return FractionalPercent.newBuilder()
                .setNumerator((int) Math.round(value * 10_000))
                .setDenominator(FractionalPercent.DenominatorType.MILLION)
                .build();
    }

    /** gRPC status names (UNAVAILABLE) or numbers ("14") as the numeric code. */
    static int grpcCode(String status) {
        String s = status.trim();
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
            return Integer.parseInt(s);
        }
        return Status.Code.valueOf(s.toUpperCase(Locale.ROOT)).value();
    }
}
