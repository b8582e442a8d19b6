package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Subset;

import java.util.HashSet;
import java.util.Set;

/**
 * DestinationRule: the host (a wildcard domain), its traffic policy, subsets (unique DNS-label names, valid
 * labels, their own policies), exportTo and the workload selector.
 */
final class DestinationRuleValidator implements KindValidator<DestinationRule> {
    @Override
    public void validate(DestinationRule rule, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        out.errorIf(spec.field("host"), Hosts.wildcardDomainError(rule.host()));
        TrafficPolicyValidator.check(out, spec.field("trafficPolicy"), rule.trafficPolicy(), namespace);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rule.subsets().size(); i++) {
            FieldPath p = spec.field("subsets").index(i);
            Subset subset = rule.subsets().get(i);
            if (subset.name() != null && !names.add(subset.name())) {
                out.error(p.field("name"), "duplicate subset names: " + subset.name());
            }
            Destinations.checkSubsetName(out, p.field("name"), subset.name());
            Labels.check(out, p.field("labels"), subset.labels());
            TrafficPolicyValidator.check(out, p.field("trafficPolicy"), subset.trafficPolicy(), namespace);
        }
        ExportTo.check(out, spec.field("exportTo"), namespace, rule.exportTo(), rule.workloadSelector() == null
                ? ExportTo.Kind.PLAIN : ExportTo.Kind.DESTINATION_RULE_WITH_SELECTOR);
        if (rule.workloadSelector() != null) {
            Labels.checkSelector(out, spec.field("workloadSelector").field("matchLabels"),
                    rule.workloadSelector().matchLabels(), "workload selector specified without labels");
        }
    }
}
