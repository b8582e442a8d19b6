package dev.mizzen.api.security;

/** Istio {@code ClaimToHeader}: copies a JWT claim into a request header. */
public record ClaimToHeader(String header, String claim) {
}
