package dev.mizzen.api.networking;

/** Istio {@code Destination}: a service host (short name or FQDN), an optional subset and port. */
public record Destination(String host, String subset, PortSelector port) {
}
