package dev.mizzen.api.networking;

/**
 * Istio {@code OutboundTrafficPolicy}: {@code mode} (REGISTRY_ONLY or ALLOW_ANY, kept as a string) and the
 * egress proxy.
 */
public record OutboundTrafficPolicy(String mode, Destination egressProxy) {
}
