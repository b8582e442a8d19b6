package dev.mizzen.api.networking;

/** Istio {@code Delegate}: the VirtualService an HTTP route delegates to. */
public record Delegate(String name, String namespace) {
}
