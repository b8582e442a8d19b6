package dev.mizzen.pilot.security.authn;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.security.RequestAuthentication;
import dev.mizzen.pilot.security.PolicyScope;
import dev.mizzen.pilot.security.authz.PolicyAttachment;
import dev.mizzen.pilot.security.authz.Workload;

import java.util.List;

/**
 * All RequestAuthentications of one push, indexed by namespace once: those of the root namespace apply to
 * every workload they select, those of a namespace to its workloads ({@code GetJwtPoliciesForWorkload} in
 * Istio's {@code pilot/pkg/model/authentication.go}). Immutable and thread-safe.
 */
public final class RequestAuthenticationIndex {
    private final PolicyScope<RequestAuthentication> scope;

    private RequestAuthenticationIndex(PolicyScope<RequestAuthentication> scope) {
        this.scope = scope;
    }

    public static RequestAuthenticationIndex build(List<Config<RequestAuthentication>> policies, String rootNamespace) {
        return new RequestAuthenticationIndex(PolicyScope.of(policies, rootNamespace));
    }

    /** Every RequestAuthentication. */
    public List<Config<RequestAuthentication>> all() {
        return scope.all();
    }

    /** True when the RequestAuthentication with this key exists here and applies to the workload. */
    public boolean appliesTo(ConfigKey key, Workload workload) {
        return scope.find(key, workload.namespace()).filter(p -> attaches(p, workload)).isPresent();
    }

    /** The RequestAuthentications that apply to the workload: root namespace first, then its own. */
    public List<Config<RequestAuthentication>> forWorkload(Workload workload) {
        return scope.candidates(workload.namespace()).stream().filter(p -> attaches(p, workload)).toList();
    }

    private static boolean attaches(Config<RequestAuthentication> policy, Workload workload) {
        RequestAuthentication spec = policy.spec();
        return PolicyAttachment.attaches(workload, policy.namespace(), spec.selector(), spec.targetRef(), spec.targetRefs());
    }
}
