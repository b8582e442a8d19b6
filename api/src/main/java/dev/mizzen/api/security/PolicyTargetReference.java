package dev.mizzen.api.security;

/**
 * Istio {@code type.v1beta1.PolicyTargetReference}: a Gateway API resource (e.g. a Gateway or Service) a
 * policy attaches to.
 */
public record PolicyTargetReference(String group, String kind, String name, String namespace) {
}
