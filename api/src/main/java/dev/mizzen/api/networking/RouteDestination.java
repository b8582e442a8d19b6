package dev.mizzen.api.networking;

/** Istio {@code RouteDestination}: a weighted TLS or TCP destination. */
public record RouteDestination(Destination destination, Integer weight) {
}
