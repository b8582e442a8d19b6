package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio's {@code AuthorizationPolicy} ({@code security.istio.io}): access control on the selected workloads
 * (or targeted resources); {@code action} (ALLOW, DENY, AUDIT, CUSTOM) is kept as a string. No rules with
 * ALLOW denies all.
 */
public record AuthorizationPolicy(
        WorkloadSelector selector,
        PolicyTargetReference targetRef,
        List<PolicyTargetReference> targetRefs,
        List<Rule> rules,
        String action,
        ExtensionProvider provider) {
    public AuthorizationPolicy {
        targetRefs = Copies.list(targetRefs);
        rules = Copies.list(rules);
    }
}
