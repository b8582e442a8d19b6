package dev.mizzen.pilot.networking.telemetry;

import dev.mizzen.api.telemetry.Telemetry;
import dev.mizzen.pilot.model.MeshTelemetry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Istio's mergeLogs: the accessLogging sections that apply to a proxy, root first, per provider, for one mode.
 * Providers of the most specific section that names any replace the mesh defaults; a disabled section turns its
 * providers off; a filter expression travels with its provider. Pure.
 */
final class LogsMerge {
    /** A provider's logging: off, or on with an optional CEL filter. */
    record LoggingSpec(boolean disabled, String filter) {
    }

    private LogsMerge() {
    }

    /** @param logging the sections of each applicable Telemetry (one list per Telemetry that has any), root first */
    static Map<String, LoggingSpec> merge(List<List<Telemetry.AccessLogging>> logging, MeshTelemetry mesh, String mode) {
        Map<String, LoggingSpec> providers = new TreeMap<>();
        if (logging.isEmpty()) {
            mesh.defaultAccessLogging().forEach(p -> providers.put(p, new LoggingSpec(false, null)));
            return providers;
        }
        List<String> providerNames = mesh.defaultAccessLogging();
        Map<String, LoggingSpec> filters = new HashMap<>();
        for (List<Telemetry.AccessLogging> group : logging) {
            Set<String> names = new HashSet<>();
            for (Telemetry.AccessLogging l : group) {
                if (!matches(l.match(), mode)) {
                    continue;
                }
                List<String> sub = MetricsMerge.names(l.providers());
                names.addAll(sub);
                for (String p : sub) {
                    filters.put(p, new LoggingSpec(false, l.filter() == null ? null : l.filter().expression()));
                }
            }
            if (!names.isEmpty()) {
                providerNames = List.copyOf(names);
            }
        }
        Set<String> inScope = new HashSet<>(providerNames);
        List<String> parent = mesh.defaultAccessLogging();
        for (List<Telemetry.AccessLogging> group : logging) {
            for (Telemetry.AccessLogging l : group) {
                List<String> names = MetricsMerge.names(l.providers());
                if (names.isEmpty()) {
                    names = parent;
                }
                parent = names;
                for (String p : names) {
                    if (!inScope.contains(p) || !matches(l.match(), mode)) {
                        continue;
                    }
                    if (Boolean.TRUE.equals(l.disabled())) {
                        providers.put(p, new LoggingSpec(true, null));
                        continue;
                    }
                    providers.put(p, filters.getOrDefault(p, new LoggingSpec(false, null)));
                }
            }
        }
        return providers;
    }

    private static boolean matches(Telemetry.WorkloadModeSelector selector, String mode) {
        return selector == null || selector.mode() == null || selector.mode().equals("CLIENT_AND_SERVER")
                || selector.mode().equals(mode);
    }
}
