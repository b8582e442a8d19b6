package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.security.AuthorizationPolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

    /** Istio's sortConfigByCreationTime: creation time, then name, then namespace. */
    static final Comparator<Config<?>> ISTIO_ORDER = Comparator
            .comparing((Config<?> c) -> c.meta().creationTimestamp())
            .thenComparing(Config::name)
            .thenComparing(Config::namespace);

    private final String rootNamespace;
    private final Map<String, List<Config<AuthorizationPolicy>>> byNamespace;

    private AuthorizationPolicyIndex(String rootNamespace, Map<String, List<Config<AuthorizationPolicy>>> byNamespace) {
        this.rootNamespace = rootNamespace;
        this.byNamespace = byNamespace;
    }

    public static AuthorizationPolicyIndex build(List<Config<AuthorizationPolicy>> policies, String rootNamespace) {
        List<Config<AuthorizationPolicy>> sorted = new ArrayList<>(policies);
        sorted.sort(ISTIO_ORDER);
        Map<String, List<Config<AuthorizationPolicy>>> byNamespace = new LinkedHashMap<>();
        for (Config<AuthorizationPolicy> policy : sorted) {
            byNamespace.computeIfAbsent(policy.namespace(), ns -> new ArrayList<>()).add(policy);
        }
        byNamespace.replaceAll((ns, list) -> List.copyOf(list));
        return new AuthorizationPolicyIndex(rootNamespace == null || rootNamespace.isEmpty()
                ? DEFAULT_ROOT_NAMESPACE : rootNamespace, Map.copyOf(byNamespace));
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /** Every policy, by namespace, each namespace in Istio's order. */
    public List<Config<AuthorizationPolicy>> all() {
        return byNamespace.values().stream().flatMap(List::stream).toList();
    }

    /**
     * True when the policy with this key exists here and applies to the workload (what a change of it can
     * concern): the same test {@link #forWorkload} makes, for one policy.
     */
    public boolean appliesTo(ConfigKey key, Workload workload) {
        if (!key.namespace().equals(rootNamespace) && !key.namespace().equals(workload.namespace())) {
            return false;
        }
        return byNamespace.getOrDefault(key.namespace(), List.of()).stream()
                .filter(p -> p.name().equals(key.name()))
                .anyMatch(p -> AuthzAction.of(p.spec().action()).isPresent() && PolicyAttachment.attaches(workload,
                        p.namespace(), p.spec().selector(), p.spec().targetRef(), p.spec().targetRefs()));
    }

    /** The policies that apply to the workload, grouped by action in Istio's order. */
    public WorkloadPolicies forWorkload(Workload workload) {
        Map<AuthzAction, List<Config<AuthorizationPolicy>>> out = new EnumMap<>(AuthzAction.class);
        for (AuthzAction action : AuthzAction.values()) {
            out.put(action, new ArrayList<>());
        }
        List<String> namespaces = rootNamespace.equals(workload.namespace())
                ? List.of(rootNamespace) : List.of(rootNamespace, workload.namespace());
        for (String namespace : namespaces) {
            for (Config<AuthorizationPolicy> policy : byNamespace.getOrDefault(namespace, List.of())) {
                AuthorizationPolicy spec = policy.spec();
                Optional<AuthzAction> action = AuthzAction.of(spec.action());
                if (action.isPresent() && PolicyAttachment.attaches(workload, policy.namespace(), spec.selector(),
                        spec.targetRef(), spec.targetRefs())) {
                    out.get(action.get()).add(policy);
                }
            }
        }
        return new WorkloadPolicies(out.get(AuthzAction.CUSTOM), out.get(AuthzAction.DENY),
                out.get(AuthzAction.ALLOW), out.get(AuthzAction.AUDIT));
    }
}
