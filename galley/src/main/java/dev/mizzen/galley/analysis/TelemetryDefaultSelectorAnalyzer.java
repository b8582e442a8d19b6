package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.telemetry.Telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code telemetry.DefaultSelectorAnalyzer}: at most one Telemetry per namespace without a selector
 * (IST0160); which of several applies is undefined.
 */
final class TelemetryDefaultSelectorAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "telemetry.DefaultSelectorAnalyzer";
    }

    @Override
    public String description() {
        return "Validates that there aren't multiple telemetry resources that have no selector";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, List<Config<Telemetry>>> byNamespace = new LinkedHashMap<>();
        for (Config<Telemetry> c : Sorted.byName(ctx.list(ConfigKind.TELEMETRY))) {
            if (c.spec().selector() == null) {
                byNamespace.computeIfAbsent(c.namespace(), k -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<String, List<Config<Telemetry>>> e : byNamespace.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            List<String> names = e.getValue().stream().map(Config::name).sorted().toList();
            for (Config<Telemetry> c : e.getValue()) {
                ctx.report(Messages.MULTIPLE_TELEMETRIES_WITHOUT_WORKLOAD_SELECTORS
                        .on(AnalysisContext.origin(c), names, e.getKey()));
            }
        }
    }
}
