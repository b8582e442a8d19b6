package dev.mizzen.api.networking;

/** Istio {@code HTTPMirrorPolicy}: one mirror destination and the share of traffic it gets. */
public record HttpMirrorPolicy(Destination destination, Percent percentage) {
}
