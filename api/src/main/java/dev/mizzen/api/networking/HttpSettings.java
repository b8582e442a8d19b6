package dev.mizzen.api.networking;

/** Istio {@code ConnectionPoolSettings.HTTPSettings}; {@code h2UpgradePolicy} is an enum kept as a string. */
public record HttpSettings(
        Integer http1MaxPendingRequests,
        Integer http2MaxRequests,
        Integer maxRequestsPerConnection,
        Integer maxRetries,
        String idleTimeout,
        String h2UpgradePolicy,
        Boolean useClientProtocol,
        Integer maxConcurrentStreams,
        Http2KeepAlive http2KeepAlive) {
}
