package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Sidecar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's {@code sidecar.DefaultSelectorAnalyzer} (now part of its SelectorAnalyzer): at most one Sidecar per
 * namespace without a selector (IST0111); in an ambient namespace such Sidecars have no effect (IST0167).
 */
final class SidecarDefaultSelectorAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "sidecar.DefaultSelectorAnalyzer";
    }

    @Override
    public String description() {
        return "Validates that there aren't multiple sidecar resources that have no selector";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, List<Config<Sidecar>>> byNamespace = new LinkedHashMap<>();
        for (Config<Sidecar> c : Sorted.byName(ctx.list(ConfigKind.SIDECAR))) {
            if (c.spec().workloadSelector() == null || c.spec().workloadSelector().labels().isEmpty()) {
                byNamespace.computeIfAbsent(c.namespace(), k -> new ArrayList<>()).add(c);
            }
        }
        Set<String> ambient = new HashSet<>();
        ctx.input().namespaces().stream().filter(Ambient::namespace).forEach(n -> ambient.add(n.name()));
        for (Map.Entry<String, List<Config<Sidecar>>> e : byNamespace.entrySet()) {
            if (ambient.contains(e.getKey())) {
                for (Config<Sidecar> c : e.getValue()) {
                    ctx.report(Messages.INEFFECTIVE_POLICY.on(AnalysisContext.origin(c),
                            "namespace is in ambient mode, the policy has no impact"));
                }
                continue;
            }
            if (e.getValue().size() < 2) {
                continue;
            }
            List<String> names = e.getValue().stream().map(Config::name).toList();
            for (Config<Sidecar> c : e.getValue()) {
                ctx.report(Messages.MULTIPLE_SIDECARS_WITHOUT_WORKLOAD_SELECTORS
                        .on(AnalysisContext.origin(c), names, e.getKey()));
            }
        }
    }
}
