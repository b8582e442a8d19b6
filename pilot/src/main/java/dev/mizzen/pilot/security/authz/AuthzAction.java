package dev.mizzen.pilot.security.authz;

import java.util.Locale;
import java.util.Optional;

/**
 * The action of an AuthorizationPolicy. Istio evaluates CUSTOM, then DENY, then ALLOW; AUDIT only logs
 * ({@code pilot/pkg/security/authz/builder/builder.go}). A policy without an action is ALLOW.
 */
public enum AuthzAction {
    CUSTOM, DENY, ALLOW, AUDIT;

    /** Empty for an action Istio ignores (it logs "unsupported action" and skips the policy). */
    public static Optional<AuthzAction> of(String action) {
        if (action == null || action.isEmpty()) {
            return Optional.of(ALLOW);
        }
        try {
            return Optional.of(valueOf(action.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
