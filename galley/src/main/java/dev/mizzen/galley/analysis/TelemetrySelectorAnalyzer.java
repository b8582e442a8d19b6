package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.telemetry.Telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code telemetry.SelectorAnalyzer}: a Telemetry's selector selects some workload in its namespace
 * (IST0101), and no workload is selected by two Telemetries (IST0159), as for Sidecars.
 */
final class TelemetrySelectorAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "telemetry.SelectorAnalyzer";
    }

    @Override
    public String description() {
        return "Validates that telemetries that define a selector match at least one pod, and that there aren't"
                + " multiple telemetry resources that select overlapping pods";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<KubeWorkload, List<Config<Telemetry>>> workloadToTelemetries = new LinkedHashMap<>();
        for (Config<Telemetry> c : Sorted.byName(ctx.list(ConfigKind.TELEMETRY))) {
            Telemetry t = c.spec();
            if (t.selector() == null || t.selector().matchLabels().isEmpty()) {
                continue;
            }
            Map<String, String> selector = t.selector().matchLabels();
            boolean found = false;
            for (KubeWorkload w : ctx.input().workloads()) {
                if (w.namespace().equals(c.namespace()) && Selectors.matches(selector, w.podLabels())) {
                    found = true;
                    workloadToTelemetries.computeIfAbsent(w, k -> new ArrayList<>()).add(c);
                }
            }
            if (!found) {
                ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(AnalysisContext.origin(c), "selector",
                        Selectors.text(selector)).at("spec.selector"));
            }
        }
        for (Map.Entry<KubeWorkload, List<Config<Telemetry>>> e : workloadToTelemetries.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            List<String> names = e.getValue().stream().map(Config::name).sorted().toList();
            for (Config<Telemetry> c : e.getValue()) {
                ctx.report(Messages.CONFLICTING_TELEMETRY_WORKLOAD_SELECTORS.on(AnalysisContext.origin(c), names,
                        e.getKey().namespace(), e.getKey().name()).at("metadata.name"));
            }
        }
    }
}
