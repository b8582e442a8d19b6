package dev.mizzen.api.networking;

/** Istio {@code PortSelector}: a port by number. */
public record PortSelector(Integer number) {
}
