package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.pilot.security.PolicyScope;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * All AuthorizationPolicies of one push, indexed by namespace once; {@link #forWorkload} answers which apply
 * to a workload. Policies in the root namespace apply to workloads of every namespace. Immutable and
 * thread-safe: built once per push context, read by any number of generators.
 *
 * <pre>
 * AuthorizationPolicyIndex index = AuthorizationPolicyIndex.build(store.list(AUTHORIZATION_POLICY), "istio-system");
 * WorkloadPolicies policies = index.forWorkload(Workload.of("default", Map.of("app", "reviews")));
 * </pre>
 */
public final class AuthorizationPolicyIndex {
    public static final String DEFAULT_ROOT_NAMESPACE = PolicyScope.DEFAULT_ROOT_NAMESPACE;

    private final PolicyScope<AuthorizationPolicy> scope;

    private AuthorizationPolicyIndex(PolicyScope<AuthorizationPolicy> scope) {
        this.scope = scope;
    }

    public static AuthorizationPolicyIndex build(List<Config<AuthorizationPolicy>> policies, String rootNamespace) {
        return new AuthorizationPolicyIndex(PolicyScope.of(policies, rootNamespace));
    }

    public String rootNamespace() {
        return scope.rootNamespace();
    }

    /** Every policy, by namespace, each namespace in Istio's order. */
    public List<Config<AuthorizationPolicy>> all() {
        return scope.all();
    }

    /**
     * True when the policy with this key exists here and applies to the workload (what a change of it can
     * concern): the same test {@link #forWorkload} makes, for one policy.
     */
    public boolean appliesTo(ConfigKey key, Workload workload) {
        return scope.find(key, workload.namespace()).filter(p -> attaches(p, workload)).isPresent();
    }

    private static boolean attaches(Config<AuthorizationPolicy> policy, Workload workload) {
        AuthorizationPolicy spec = policy.spec();
        return AuthzAction.of(spec.action()).isPresent() && PolicyAttachment.attaches(workload, policy.namespace(),
                spec.selector(), spec.targetRef(), spec.targetRefs());
    }

    /** The policies that apply to the workload, grouped by action in Istio's order. */
    public WorkloadPolicies forWorkload(Workload workload) {
        Map<AuthzAction, List<Config<AuthorizationPolicy>>> out = new EnumMap<>(AuthzAction.class);
        for (AuthzAction action : AuthzAction.values()) {
            out.put(action, new ArrayList<>());
        }
        for (Config<AuthorizationPolicy> policy : scope.candidates(workload.namespace())) {
            if (attaches(policy, workload)) {
                out.get(AuthzAction.of(policy.spec().action()).orElseThrow()).add(policy);
            }
        }
        return new WorkloadPolicies(out.get(AuthzAction.CUSTOM), out.get(AuthzAction.DENY),
                out.get(AuthzAction.ALLOW), out.get(AuthzAction.AUDIT));
    }
}
