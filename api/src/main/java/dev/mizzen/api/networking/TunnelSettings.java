package dev.mizzen.api.networking;

/** Istio {@code TrafficPolicy.TunnelSettings}: tunnelling TCP over CONNECT or POST. */
public record TunnelSettings(String protocol, String targetHost, Integer targetPort) {
}
