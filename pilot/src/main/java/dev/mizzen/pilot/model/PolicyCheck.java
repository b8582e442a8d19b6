package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.pilot.security.authz.AuthzAction;
import dev.mizzen.pilot.security.authz.AuthzOptions;
import dev.mizzen.pilot.security.authz.HttpRbacFilters;
import dev.mizzen.pilot.security.authz.NetworkRbacFilters;
import dev.mizzen.pilot.security.authz.ProxyKind;
import dev.mizzen.pilot.security.authz.WorkloadPolicies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the translation of the AuthorizationPolicies says about them (an extension provider that is missing
 * or invalid, a rule Istio rejects, a dry-run annotation that is not a boolean, HTTP-only conditions on TCP
 * ports), found once per push from the policies themselves, so that the push controller logs each once instead
 * of each proxy's generation saying it again. Each policy is translated alone for HTTP chains, and for TCP
 * chains when it may select a workload that serves a TCP port of a Service: the TCP chains that every sidecar
 * with policies has for ports no Service declares narrow HTTP rules as Istio does, which is no news worth a
 * line per policy. What only proxyless gRPC servers drop is in the README, not here: which workloads are
 * proxyless is known only when they connect. Pure.
 */
public final class PolicyCheck {
    private PolicyCheck() {
    }

    public static Set<String> problems(PushContext push) {
        SecurityPolicies security = push.security();
        Set<String> out = new TreeSet<>(security.providerProblems());
        AuthzOptions options = security.options(ProxyKind.SIDECAR_INBOUND);
        for (Config<AuthorizationPolicy> policy : security.authorizationPolicies()) {
            var action = AuthzAction.of(policy.spec().action());
            if (action.isEmpty()) {
                out.add(policy.key() + ": unsupported action " + policy.spec().action() + "; the policy is ignored");
                continue;
            }
            WorkloadPolicies alone = alone(policy, action.get());
            List<String> warnings = new ArrayList<>(HttpRbacFilters.build(alone, options).warnings());
            if (maySelectTcpPort(policy, push)) {
                warnings.addAll(NetworkRbacFilters.build(alone, options).warnings());
            }
            // every line names its policy, also those the translation words for a provider
            String prefix = policy.key() + ": ";
            warnings.forEach(w -> out.add(w.startsWith(prefix) ? w : prefix + w));
        }
        return out;
    }

    private static WorkloadPolicies alone(Config<AuthorizationPolicy> policy, AuthzAction action) {
        List<Config<AuthorizationPolicy>> one = List.of(policy);
        return new WorkloadPolicies(action == AuthzAction.CUSTOM ? one : List.of(),
                action == AuthzAction.DENY ? one : List.of(), action == AuthzAction.ALLOW ? one : List.of(),
                action == AuthzAction.AUDIT ? one : List.of());
    }

    /**
     * True when a Service with a TCP port selects pods the policy's selector may select too (no label both name
     * with different values), in the namespaces the policy reaches.
     */
    private static boolean maySelectTcpPort(Config<AuthorizationPolicy> policy, PushContext push) {
        AuthorizationPolicy spec = policy.spec();
        if (spec.targetRef() != null || !spec.targetRefs().isEmpty()) {
            return false;
        }
        boolean meshWide = policy.namespace().equals(push.mesh().rootNamespace());
        Map<String, String> selector = spec.selector() == null ? Map.of() : spec.selector().matchLabels();
        return push.services().stream()
                .filter(s -> meshWide || s.namespace().equals(policy.namespace()))
                .filter(s -> !s.selector().isEmpty() && s.ports().stream().anyMatch(p -> p.protocol().isTcp()))
                .anyMatch(s -> selector.entrySet().stream()
                        .allMatch(e -> !s.selector().containsKey(e.getKey()) || s.selector().get(e.getKey()).equals(e.getValue())));
    }
}
