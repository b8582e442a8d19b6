package dev.mizzen.pilot.security.authn;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.security.RequestAuthentication;
import dev.mizzen.pilot.security.authz.AuthorizationPolicyIndex;
import dev.mizzen.pilot.security.authz.PolicyAttachment;
import dev.mizzen.pilot.security.authz.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All RequestAuthentications of one push, indexed by namespace once: those of the root namespace apply to
 * every workload they select, those of a namespace to its workloads ({@code GetJwtPoliciesForWorkload} in
 * Istio's {@code pilot/pkg/model/authentication.go}). Immutable and thread-safe.
 */
public final class RequestAuthenticationIndex {
    private static final Comparator<Config<?>> ISTIO_ORDER = Comparator
            .comparing((Config<?> c) -> c.meta().creationTimestamp())
            .thenComparing(Config::name)
            .thenComparing(Config::namespace);

    private final String rootNamespace;
    private final Map<String, List<Config<RequestAuthentication>>> byNamespace;

    private RequestAuthenticationIndex(String rootNamespace, Map<String, List<Config<RequestAuthentication>>> byNamespace) {
        this.rootNamespace = rootNamespace;
        this.byNamespace = byNamespace;
    }

    public static RequestAuthenticationIndex build(List<Config<RequestAuthentication>> policies, String rootNamespace) {
        List<Config<RequestAuthentication>> sorted = new ArrayList<>(policies);
        sorted.sort(ISTIO_ORDER);
        Map<String, List<Config<RequestAuthentication>>> byNamespace = new LinkedHashMap<>();
        sorted.forEach(p -> byNamespace.computeIfAbsent(p.namespace(), ns -> new ArrayList<>()).add(p));
        byNamespace.replaceAll((ns, list) -> List.copyOf(list));
        return new RequestAuthenticationIndex(rootNamespace == null || rootNamespace.isEmpty()
                ? AuthorizationPolicyIndex.DEFAULT_ROOT_NAMESPACE : rootNamespace, Map.copyOf(byNamespace));
    }

    /** Every RequestAuthentication. */
    public List<Config<RequestAuthentication>> all() {
        return byNamespace.values().stream().flatMap(List::stream).toList();
    }

    /** True when the RequestAuthentication with this key exists here and applies to the workload. */
    public boolean appliesTo(ConfigKey key, Workload workload) {
        if (!key.namespace().equals(rootNamespace) && !key.namespace().equals(workload.namespace())) {
            return false;
        }
        return byNamespace.getOrDefault(key.namespace(), List.of()).stream()
                .filter(p -> p.name().equals(key.name()))
                .anyMatch(p -> PolicyAttachment.attaches(workload, p.namespace(), p.spec().selector(),
                        p.spec().targetRef(), p.spec().targetRefs()));
    }

    /** The RequestAuthentications that apply to the workload: root namespace first, then its own. */
    public List<Config<RequestAuthentication>> forWorkload(Workload workload) {
        List<Config<RequestAuthentication>> out = new ArrayList<>();
        List<String> namespaces = rootNamespace.equals(workload.namespace())
                ? List.of(rootNamespace) : List.of(rootNamespace, workload.namespace());
        for (String namespace : namespaces) {
            for (Config<RequestAuthentication> p : byNamespace.getOrDefault(namespace, List.of())) {
                RequestAuthentication spec = p.spec();
                if (PolicyAttachment.attaches(workload, p.namespace(), spec.selector(), spec.targetRef(), spec.targetRefs())) {
                    out.add(p);
                }
            }
        }
        return List.copyOf(out);
    }
}
