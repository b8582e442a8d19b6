package dev.mizzen.api.networking;

/** Istio {@code TrafficPolicy.ProxyProtocol}: PROXY protocol version (V1, V2) as a string. */
public record ProxyProtocol(String version) {
}
