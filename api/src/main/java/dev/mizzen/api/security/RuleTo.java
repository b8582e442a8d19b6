package dev.mizzen.api.security;

/** Istio {@code Rule.To}. */
public record RuleTo(Operation operation) {
}
