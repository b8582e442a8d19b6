package dev.mizzen.api.networking;

/** Istio {@code ServicePort} of a ServiceEntry. */
public record ServicePort(Integer number, String protocol, String name, Integer targetPort) {
}
