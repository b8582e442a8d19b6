package dev.mizzen.galley.validation;

import dev.mizzen.api.security.PolicyTargetReference;
import dev.mizzen.api.security.WorkloadSelector;

import java.util.List;
import java.util.Set;

/**
 * How a security policy picks what it applies to: a workload {@code selector}, one {@code targetRef} or a
 * list of {@code targetRefs}, at most one of them. Targets may only be Services, ServiceEntries, Gateways and
 * GatewayClasses of the policy's own namespace.
 */
final class PolicyTargets {
    private static final Set<String> ALLOWED = Set.of(
            "core/Service", "networking.istio.io/ServiceEntry",
            "gateway.networking.k8s.io/Gateway", "gateway.networking.k8s.io/GatewayClass");

    private PolicyTargets() {
    }

    static void check(Findings out, WorkloadSelector selector, PolicyTargetReference targetRef,
                      List<PolicyTargetReference> targetRefs) {
        int set = Enums.countSet(selector, targetRef, targetRefs.isEmpty() ? null : targetRefs);
        if (set > 1) {
            out.error(FieldPath.SPEC, "only one of targetRefs or workloadSelector can be set");
        }
        if (selector != null) {
            Labels.checkSelector(out, FieldPath.SPEC.field("selector").field("matchLabels"), selector.matchLabels(),
                    "workload selector specified without labels");
        }
        if (targetRef != null) {
            checkRef(out, FieldPath.SPEC.field("targetRef"), targetRef);
        }
        for (int i = 0; i < targetRefs.size(); i++) {
            checkRef(out, FieldPath.SPEC.field("targetRefs").index(i), targetRefs.get(i));
        }
    }

    private static void checkRef(Findings out, FieldPath at, PolicyTargetReference ref) {
        if (ref.name() == null || ref.name().isEmpty()) {
            out.error(at.field("name"), "targetRef name must be set");
        }
        if (ref.namespace() != null && !ref.namespace().isEmpty()) {
            out.error(at.field("namespace"),
                    "targetRef namespace must not be set; cross namespace referencing is not supported");
        }
        String group = ref.group() == null || ref.group().isEmpty() ? "core" : ref.group();
        if (!ALLOWED.contains(group + "/" + ref.kind())) {
            out.error(at.field("kind"), "targetRef must be to one of Service, ServiceEntry, Gateway or GatewayClass but was "
                    + (ref.group() == null ? "" : ref.group()) + "/" + ref.kind());
        }
    }
}
