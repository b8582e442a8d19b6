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
 * Istio's {@code sidecar.SelectorAnalyzer}: a Sidecar's workload selector selects some workload in its namespace
 * (IST0101), and no workload is selected by two Sidecars (IST0110).
 */
final class SidecarSelectorAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "sidecar.SelectorAnalyzer";
    }

    @Override
    public String description() {
        return "Validates that sidecars that define a workload selector match at least one pod, and that there"
                + " aren't multiple sidecar resources that select overlapping pods";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<KubeWorkload, List<Config<Sidecar>>> workloadToSidecars = new LinkedHashMap<>();
        for (Config<Sidecar> c : Sorted.byName(ctx.list(ConfigKind.SIDECAR))) {
            Sidecar s = c.spec();
            if (s.workloadSelector() == null || s.workloadSelector().labels().isEmpty()) {
                continue;
            }
            boolean found = false;
            for (KubeWorkload w : ctx.input().workloads()) {
                if (w.namespace().equals(c.namespace()) && Selectors.matches(s.workloadSelector().labels(), w.podLabels())) {
                    found = true;
                    workloadToSidecars.computeIfAbsent(w, k -> new ArrayList<>()).add(c);
                }
            }
            if (!found) {
                ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(AnalysisContext.origin(c), "selector",
                        Selectors.text(s.workloadSelector().labels())).at("spec.workloadSelector"));
            }
        }
        Set<Config<Sidecar>> ineffective = new HashSet<>();
        for (Map.Entry<KubeWorkload, List<Config<Sidecar>>> e : workloadToSidecars.entrySet()) {
            if (Ambient.pod(e.getKey())) {
                // no sidecar runs there: not a conflict, but the Sidecar does nothing (Istio says so once each)
                for (Config<Sidecar> c : e.getValue()) {
                    if (ineffective.add(c)) {
                        ctx.report(Messages.INEFFECTIVE_POLICY.on(AnalysisContext.origin(c),
                                "selected workload is in ambient mode, the policy has no impact"));
                    }
                }
                continue;
            }
            if (e.getValue().size() < 2) {
                continue;
            }
            List<String> names = e.getValue().stream().map(Config::name).toList();
            for (Config<Sidecar> c : e.getValue()) {
                ctx.report(Messages.CONFLICTING_SIDECAR_WORKLOAD_SELECTORS.on(AnalysisContext.origin(c), names,
                        e.getKey().namespace(), e.getKey().name()).at("metadata.name"));
            }
        }
    }
}
