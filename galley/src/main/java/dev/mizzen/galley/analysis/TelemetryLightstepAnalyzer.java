package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.telemetry.Telemetry;

import java.util.Set;

/**
 * Istio's {@code telemetry.LightstepAnalyzer}: tracing through a mesh extension provider of the Lightstep kind,
 * which Istio deprecated for OpenTelemetry (IST0002).
 */
final class TelemetryLightstepAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "telemetry.LightstepAnalyzer";
    }

    @Override
    public String description() {
        return "Validates that lightstep provider is still used";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Set<String> lightstep = ctx.input().mesh().lightstepProviders();
        if (lightstep.isEmpty()) {
            return;
        }
        for (Config<Telemetry> c : ctx.list(ConfigKind.TELEMETRY)) {
            for (Telemetry.Tracing tracing : c.spec().tracing()) {
                for (Telemetry.ProviderRef p : tracing.providers()) {
                    if (lightstep.contains(p.name())) {
                        ctx.report(Messages.DEPRECATED.on(AnalysisContext.origin(c), "The Lightstep provider "
                                + p.name() + " is deprecated, please migrate to OpenTelemetry provider."));
                    }
                }
            }
        }
    }
}
