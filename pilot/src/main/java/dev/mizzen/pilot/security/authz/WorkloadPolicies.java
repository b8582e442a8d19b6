package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.AuthorizationPolicy;

import java.util.List;

/**
 * The AuthorizationPolicies that apply to one workload, grouped by action, each list in Istio's order: root
 * namespace first, then the workload's namespace, each by creation time, then name, then namespace
 * ({@code pilot/pkg/model/authorization.go} {@code ListAuthorizationPolicies}).
 */
public record WorkloadPolicies(List<Config<AuthorizationPolicy>> custom, List<Config<AuthorizationPolicy>> deny,
                               List<Config<AuthorizationPolicy>> allow, List<Config<AuthorizationPolicy>> audit) {
    public static final WorkloadPolicies NONE = new WorkloadPolicies(List.of(), List.of(), List.of(), List.of());

    public WorkloadPolicies {
        custom = List.copyOf(custom);
        deny = List.copyOf(deny);
        allow = List.copyOf(allow);
        audit = List.copyOf(audit);
    }

    public List<Config<AuthorizationPolicy>> of(AuthzAction action) {
        return switch (action) {
            case CUSTOM -> custom;
            case DENY -> deny;
            case ALLOW -> allow;
            case AUDIT -> audit;
        };
    }

    public boolean isEmpty() {
        return custom.isEmpty() && deny.isEmpty() && allow.isEmpty() && audit.isEmpty();
    }
}
