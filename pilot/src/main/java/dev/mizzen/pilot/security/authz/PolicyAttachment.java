package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.security.PolicyTargetReference;
import dev.mizzen.api.security.WorkloadSelector;

import java.util.List;
import java.util.Map;

/**
 * Whether a workload-scoped policy (AuthorizationPolicy, RequestAuthentication) attaches to a workload:
 * Istio's {@code WorkloadPolicyMatcher.ShouldAttachPolicy} ({@code pilot/pkg/model/policyattachment.go}) for
 * sidecars and gateways (no waypoints here).
 * <ul>
 * <li>A workload that is not a Gateway API gateway: a policy with targetRef(s) never attaches; otherwise
 * the selector decides, and no selector selects every workload of the namespace.</li>
 * <li>A Gateway API gateway: only targetRef(s) of kind Gateway naming it, from a policy in its own namespace
 * (Istio's selector fallback for gateways is behind a feature flag that is off by default).</li>
 * </ul>
 * The namespace scoping (root namespace or the workload's) is the caller's. Pure.
 */
public final class PolicyAttachment {
    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    private PolicyAttachment() {
    }

    public static boolean attaches(Workload workload, String policyNamespace, WorkloadSelector selector,
                                   PolicyTargetReference targetRef, List<PolicyTargetReference> targetRefs) {
        List<PolicyTargetReference> refs = !targetRefs.isEmpty() ? targetRefs
                : targetRef != null ? List.of(targetRef) : List.of();
        if (workload.gatewayName().isEmpty()) {
            return refs.isEmpty() && selects(selector, workload.labels());
        }
        String gateway = workload.gatewayName().get();
        if (!policyNamespace.equals(workload.namespace())) {
            return false;
        }
        return refs.stream().anyMatch(ref -> GATEWAY_GROUP.equals(ref.group()) && "Gateway".equals(ref.kind())
                && gateway.equals(ref.name())
                && (ref.namespace() == null || ref.namespace().isEmpty() || ref.namespace().equals(workload.namespace())));
    }

    /** Labels are a superset of the selector's; no selector (or an empty one) selects everything. */
    static boolean selects(WorkloadSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        return selector.matchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
