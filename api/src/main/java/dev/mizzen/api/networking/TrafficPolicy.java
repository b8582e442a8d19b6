package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code TrafficPolicy}: per-destination policies; {@code portLevelSettings} override them per port. */
public record TrafficPolicy(
        LoadBalancerSettings loadBalancer,
        ConnectionPoolSettings connectionPool,
        OutlierDetection outlierDetection,
        ClientTlsSettings tls,
        List<PortTrafficPolicy> portLevelSettings,
        TunnelSettings tunnel,
        ProxyProtocol proxyProtocol,
        RetryBudget retryBudget) {
    public TrafficPolicy {
        portLevelSettings = Copies.list(portLevelSettings);
    }
}
