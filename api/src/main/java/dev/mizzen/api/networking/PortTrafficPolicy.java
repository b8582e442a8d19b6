package dev.mizzen.api.networking;

/** Istio {@code TrafficPolicy.PortTrafficPolicy}: policies for one port of the destination. */
public record PortTrafficPolicy(
        PortSelector port,
        LoadBalancerSettings loadBalancer,
        ConnectionPoolSettings connectionPool,
        OutlierDetection outlierDetection,
        ClientTlsSettings tls) {
}
