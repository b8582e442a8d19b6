package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio's {@code RequestAuthentication} ({@code security.istio.io}): the JWTs the selected workloads accept
 * (issuer, keys, where to find the token).
 */
public record RequestAuthentication(
        WorkloadSelector selector,
        PolicyTargetReference targetRef,
        List<PolicyTargetReference> targetRefs,
        List<JwtRule> jwtRules) {
    public RequestAuthentication {
        targetRefs = Copies.list(targetRefs);
        jwtRules = Copies.list(jwtRules);
    }
}
