package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio's {@code DestinationRule} ({@code networking.istio.io}): the policies (load balancing, connection
 * pool, outlier detection, TLS) applied to traffic for a host after routing, and its named subsets. Its
 * {@code workloadSelector} is Istio's {@code istio.type.v1beta1.WorkloadSelector} ({@code matchLabels}),
 * shared with the security kinds.
 */
public record DestinationRule(
        String host,
        TrafficPolicy trafficPolicy,
        List<Subset> subsets,
        List<String> exportTo,
        dev.mizzen.api.security.WorkloadSelector workloadSelector) {
    public DestinationRule {
        subsets = Copies.list(subsets);
        exportTo = Copies.list(exportTo);
    }
}
