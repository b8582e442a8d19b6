package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.telemetry.Telemetry;

/**
 * Istio's {@code telemetry.ProviderAnalyzer}: when the mesh has no default access log provider, an access logging
 * entry that names no provider and is not a disabling one does nothing (IST0157).
 */
final class TelemetryProviderAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "telemetry.ProviderAnalyzer";
    }

    @Override
    public String description() {
        return "Validates that providers in telemetry resource is valid";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        if (!ctx.input().mesh().defaultAccessLogging().isEmpty()) {
            return;
        }
        for (Config<Telemetry> c : ctx.list(ConfigKind.TELEMETRY)) {
            for (Telemetry.AccessLogging logging : c.spec().accessLogging()) {
                if (Boolean.TRUE.equals(logging.disabled())) {
                    continue;
                }
                if (logging.providers().isEmpty()) {
                    ctx.report(Messages.INVALID_TELEMETRY_PROVIDER.on(AnalysisContext.origin(c), c.name(),
                            c.namespace()));
                }
            }
        }
    }
}
