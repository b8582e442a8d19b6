package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Sidecar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Istio's {@code sidecar.DefaultSelectorAnalyzer}: at most one Sidecar per namespace without a selector (IST0111). */
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
            if (c.spec().workloadSelector() == null) {
                byNamespace.computeIfAbsent(c.namespace(), k -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<String, List<Config<Sidecar>>> e : byNamespace.entrySet()) {
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
