package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio {@code OutlierDetection}: ejection of unhealthy endpoints. {@code consecutiveErrors} is deprecated.
 */
public record OutlierDetection(
        Boolean splitExternalLocalOriginErrors,
        Integer consecutiveLocalOriginFailures,
        Integer consecutiveGatewayErrors,
        Integer consecutive5xxErrors,
        String interval,
        String baseEjectionTime,
        Integer maxEjectionPercent,
        Integer minHealthPercent,
        Integer consecutiveErrors,
        List<Integer> outlierDetectionHttpErrorCodes) {
    public OutlierDetection {
        outlierDetectionHttpErrorCodes = Copies.list(outlierDetectionHttpErrorCodes);
    }
}
