package dev.mizzen.api.networking;

/** Istio {@code Port} of a gateway server; {@code targetPort} is deprecated. */
public record Port(Integer number, String protocol, String name, Integer targetPort) {
}
