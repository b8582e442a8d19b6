package dev.mizzen.api.security;

/** Istio {@code JWTHeader}: a header carrying the token, with an optional prefix to strip. */
public record JwtHeader(String name, String prefix) {
}
