package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * Istio {@code JWTRule}; {@code jwks_uri} is read as an alias of {@code jwksUri}, {@code presence} (OPTIONAL,
 * REQUIRED) is kept as a string.
 */
public record JwtRule(
        String issuer,
        List<String> audiences,
        @JsonAlias("jwks_uri") String jwksUri,
        String jwks,
        List<JwtHeader> fromHeaders,
        List<String> fromParams,
        String outputPayloadToHeader,
        Boolean forwardOriginalToken,
        List<ClaimToHeader> outputClaimToHeaders,
        List<String> fromCookies,
        String timeout,
        String presence,
        List<String> spaceDelimitedClaims) {
    public JwtRule {
        audiences = Copies.list(audiences);
        fromHeaders = Copies.list(fromHeaders);
        fromParams = Copies.list(fromParams);
        outputClaimToHeaders = Copies.list(outputClaimToHeaders);
        fromCookies = Copies.list(fromCookies);
        spaceDelimitedClaims = Copies.list(spaceDelimitedClaims);
    }
}
