package dev.mizzen.api.networking;

/** Istio {@code HTTPRouteDestination}: a weighted HTTP destination with its header operations. */
public record HttpRouteDestination(Destination destination, Integer weight, Headers headers) {
}
