package dev.mizzen.api.networking;

/** Istio {@code SidecarPort}; {@code targetPort} is deprecated. */
public record SidecarPort(Integer number, String protocol, String name, Integer targetPort) {
}
