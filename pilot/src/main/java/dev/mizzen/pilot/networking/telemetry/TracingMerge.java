package dev.mizzen.pilot.networking.telemetry;

import dev.mizzen.api.telemetry.Telemetry;
import dev.mizzen.pilot.model.MeshTelemetry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's Telemetries.Tracing: the mesh's default tracing provider, then each applicable tracing section for its
 * mode (client, server or both), later ones overriding provider, span reporting, custom tags and sampling. A
 * mode without a known provider is disabled. Pure.
 */
final class TracingMerge {
    /** One mode's tracing. */
    record TracingSpec(Optional<MeshTelemetry.Provider> provider, boolean disabled, Double randomSamplingPercentage,
                       Map<String, Telemetry.CustomTag> customTags) {
    }

    private TracingMerge() {
    }

    /** Empty when neither a Telemetry nor the mesh configures tracing for this proxy. */
    static Optional<TracingSpec> merge(List<Telemetry.Tracing> tracing, MeshTelemetry mesh, String mode) {
        if (tracing.isEmpty() && mesh.defaultTracing().isEmpty()) {
            return Optional.empty();
        }
        Optional<MeshTelemetry.Provider> provider = mesh.defaultTracing().isEmpty() ? Optional.empty()
                : mesh.provider(mesh.defaultTracing().get(0));
        boolean disabled = false;
        Double sampling = null;
        Map<String, Telemetry.CustomTag> tags = Map.of();
        for (Telemetry.Tracing t : tracing) {
            String m = t.match() == null ? null : t.match().mode();
            if (m != null && !m.equals("CLIENT_AND_SERVER") && !m.equals(mode)) {
                continue;
            }
            List<String> names = MetricsMerge.names(t.providers());
            if (!names.isEmpty()) {
                provider = mesh.provider(names.get(0));
            }
            if (t.disableSpanReporting() != null) {
                disabled = t.disableSpanReporting();
            }
            if (!t.customTags().isEmpty()) {
                tags = t.customTags();
            }
            if (t.randomSamplingPercentage() != null) {
                sampling = t.randomSamplingPercentage();
            }
        }
        return Optional.of(new TracingSpec(provider, disabled || provider.isEmpty(), sampling, tags));
    }
}
