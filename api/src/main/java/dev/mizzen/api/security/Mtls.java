package dev.mizzen.api.security;

/**
 * Istio {@code PeerAuthentication.MutualTLS}: {@code mode} (UNSET, DISABLE, PERMISSIVE, STRICT) kept as a
 * string.
 */
public record Mtls(String mode) {
}
