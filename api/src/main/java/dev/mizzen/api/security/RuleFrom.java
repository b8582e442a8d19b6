package dev.mizzen.api.security;

/** Istio {@code Rule.From}. */
public record RuleFrom(Source source) {
}
