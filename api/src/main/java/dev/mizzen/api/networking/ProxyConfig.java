package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import dev.mizzen.api.security.WorkloadSelector;

import java.util.Map;

/**
 * Istio's {@code ProxyConfig} ({@code networking.istio.io/v1beta1}): the proxy's worker threads, environment and
 * image flavour for the workloads it selects (mesh-wide in the root namespace, namespace-wide without a selector).
 */
public record ProxyConfig(WorkloadSelector selector, Integer concurrency, Map<String, String> environmentVariables,
                          ProxyImage image) {
    public ProxyConfig {
        environmentVariables = Copies.map(environmentVariables);
    }

    /** {@code default}, {@code debug} or {@code distroless}: the suffix of the proxy image's tag. */
    public record ProxyImage(String imageType) {
    }
}
