package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Subset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code destinationrule.PodNotSelectedAnalyzer}: a DestinationRule whose host is no service or ServiceEntry
 * visible to it (IST0174 UnknownDestinationRuleHost), and a subset whose labels, with the host's workload selector,
 * select no workload (IST0173; traffic to it gets 503 UH). Wildcard hosts are not judged: they may cover services yet
 * to come. Workloads are Pods and controllers' pod templates. Nodes are not read, so where Istio adds a pod's node
 * topology labels (region, zone, subzone, hostname) a subset asking for one with a value is assumed to match it; an
 * empty value never does, as in Istio.
 */
final class DestinationRuleHostAnalyzer implements Analyzer {
    /** The labels Istio adds to a pod from its node ({@code AugmentLabels}). */
    private static final List<String> NODE_LABELS = List.of("topology.kubernetes.io/region",
            "topology.kubernetes.io/zone", "topology.istio.io/subzone", "kubernetes.io/hostname");

    @Override
    public String name() {
        return "destinationrule.SubsetSelectPodAnalyzer";
    }

    @Override
    public String description() {
        return "Checks if pods are selected by subsets in destination rules.";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (Config<DestinationRule> c : ctx.list(ConfigKind.DESTINATION_RULE)) {
            String host = c.spec().host();
            if (host == null || host.isEmpty() || host.startsWith("*")) {
                continue;
            }
            AnalysisContext.HostEntry entry = ctx.destinationHost(c.namespace(), c.spec().exportTo(), host);
            if (entry == null) {
                ctx.report(Messages.UNKNOWN_DESTINATION_RULE_HOST.on(AnalysisContext.origin(c), host).at("spec.host"));
                continue;
            }
            for (int i = 0; i < c.spec().subsets().size(); i++) {
                Subset subset = c.spec().subsets().get(i);
                Map<String, String> selector = new HashMap<>(entry.selector());
                selector.putAll(subset.labels());
                // the node gives a pod these (Istio adds them from Node objects, which are not read): assume a match
                for (String label : NODE_LABELS) {
                    if (!selector.getOrDefault(label, "").isEmpty()) {
                        selector.remove(label);
                    }
                }
                if (!ctx.anyWorkloadSelected(selector)) {
                    ctx.report(Messages.DESTINATION_RULE_SUBSET_NOT_SELECT_PODS.on(AnalysisContext.origin(c),
                            subset.name()).at("spec.subsets[" + i + "]"));
                }
            }
        }
    }
}
