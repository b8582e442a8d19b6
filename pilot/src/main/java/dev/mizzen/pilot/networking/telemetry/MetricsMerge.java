package dev.mizzen.pilot.networking.telemetry;

import dev.mizzen.api.networking.Durations;
import dev.mizzen.api.telemetry.Telemetry;
import dev.mizzen.api.telemetry.Telemetry.MetricsOverrides;
import dev.mizzen.pilot.model.MeshTelemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Istio's mergeMetrics: the metrics sections of the Telemetry specs that apply to a proxy, root first, merged
 * into one configuration per provider and mode. Providers named by a later section replace the earlier ones;
 * overrides accumulate per metric, later ones winning; disabling ALL_METRICS drops the filter for that mode.
 * Pure.
 */
final class MetricsMerge {
    static final List<String> ALL_METRICS = List.of("GRPC_REQUEST_MESSAGES", "GRPC_RESPONSE_MESSAGES",
            "REQUEST_COUNT", "REQUEST_DURATION", "REQUEST_SIZE", "RESPONSE_SIZE", "TCP_CLOSED_CONNECTIONS",
            "TCP_OPENED_CONNECTIONS", "TCP_RECEIVED_BYTES", "TCP_SENT_BYTES");

    /** One metric override: drop it, or change its tags. */
    record Override(String name, boolean disabled, List<Tag> tags) {
    }

    record Tag(String name, boolean remove, String value) {
    }

    /** A mode's metrics: none at all, or the standard ones with these overrides. */
    record ModeConfig(boolean disabled, List<Override> overrides) {
    }

    record MetricsConfig(ModeConfig client, ModeConfig server, Duration reportingInterval) {
        ModeConfig forClass(ListenerClass c) {
            return c == ListenerClass.SIDECAR_INBOUND ? server : client;
        }
    }

    private static final class OverrideState {
        Boolean disabled;
        Map<String, Telemetry.TagOverride> tags;
    }

    private MetricsMerge() {
    }

    static Map<String, MetricsConfig> merge(List<Telemetry.Metrics> metrics, MeshTelemetry mesh) {
        // provider -> mode -> metric -> override
        Map<String, Map<String, Map<String, OverrideState>>> providers = new LinkedHashMap<>();
        if (metrics.isEmpty()) {
            mesh.defaultMetrics().forEach(p -> providers.put(p, new HashMap<>()));
        }
        List<String> providerNames = mesh.defaultMetrics();
        for (Telemetry.Metrics m : metrics) {
            List<String> names = names(m.providers());
            if (!names.isEmpty()) {
                providerNames = names;
            }
        }
        Set<String> inScope = new HashSet<>(providerNames);
        List<String> parent = mesh.defaultMetrics();
        Set<String> disabledAll = new HashSet<>();
        Map<String, Duration> intervals = new HashMap<>();
        for (Telemetry.Metrics m : metrics) {
            List<String> names = names(m.providers());
            if (names.isEmpty()) {
                names = parent;
            }
            parent = names;
            for (String provider : names) {
                if (!inScope.contains(provider)) {
                    continue;
                }
                if (m.reportingInterval() != null && !m.reportingInterval().isEmpty()) {
                    intervals.put(provider, Durations.parse(m.reportingInterval()));
                }
                Map<String, Map<String, OverrideState>> modes = providers.computeIfAbsent(provider, k -> {
                    Map<String, Map<String, OverrideState>> fresh = new HashMap<>();
                    fresh.put("CLIENT", new HashMap<>());
                    fresh.put("SERVER", new HashMap<>());
                    return fresh;
                });
                for (MetricsOverrides o : m.overrides()) {
                    String mode = o.match() == null ? null : o.match().mode();
                    if (isAllMetrics(o.match()) && Boolean.TRUE.equals(o.disabled())) {
                        modes(mode).forEach(md -> disabledAll.add(provider + "/" + md));
                        continue;
                    }
                    for (String md : modes(mode)) {
                        disabledAll.remove(provider + "/" + md);
                        for (String metric : matches(o.match())) {
                            OverrideState state = modes.computeIfAbsent(md, k -> new HashMap<>())
                                    .computeIfAbsent(metric, k -> new OverrideState());
                            if (o.disabled() != null) {
                                state.disabled = o.disabled();
                            }
                            if (!o.tagOverrides().isEmpty()) {
                                if (state.tags == null) {
                                    state.tags = new HashMap<>();
                                }
                                state.tags.putAll(o.tagOverrides());
                            }
                        }
                    }
                }
            }
        }
        Map<String, MetricsConfig> out = new TreeMap<>();
        providers.forEach((provider, modes) -> {
            ModeConfig client = mode(provider, "CLIENT", modes, disabledAll);
            ModeConfig server = mode(provider, "SERVER", modes, disabledAll);
            out.put(provider, new MetricsConfig(client, server, intervals.get(provider)));
        });
        return out;
    }

    private static ModeConfig mode(String provider, String mode, Map<String, Map<String, OverrideState>> modes,
                                   Set<String> disabledAll) {
        if (disabledAll.contains(provider + "/" + mode)) {
            return new ModeConfig(true, List.of());
        }
        List<Override> overrides = new ArrayList<>();
        modes.getOrDefault(mode, Map.of()).forEach((metric, state) -> {
            List<Tag> tags = new ArrayList<>();
            if (state.tags != null) {
                state.tags.forEach((name, t) -> {
                    boolean remove = "REMOVE".equals(t.operation());
                    tags.add(new Tag(name, remove, remove ? "" : t.value() == null ? "" : t.value()));
                });
            }
            tags.sort(Comparator.comparing(Tag::name));
            overrides.add(new Override(metric, Boolean.TRUE.equals(state.disabled), tags));
        });
        overrides.sort(Comparator.comparing(Override::name));
        return new ModeConfig(false, overrides);
    }

    private static List<String> modes(String mode) {
        return "CLIENT".equals(mode) || "SERVER".equals(mode) ? List.of(mode) : List.of("CLIENT", "SERVER");
    }

    private static boolean isAllMetrics(Telemetry.MetricSelector match) {
        if (match == null || match.customMetric() != null) {
            return match == null;
        }
        return match.metric() == null || match.metric().equals("ALL_METRICS");
    }

    private static List<String> matches(Telemetry.MetricSelector match) {
        if (match == null) {
            return ALL_METRICS;
        }
        if (match.customMetric() != null) {
            return List.of(match.customMetric());
        }
        if (match.metric() == null || match.metric().equals("ALL_METRICS")) {
            return ALL_METRICS;
        }
        return List.of(match.metric());
    }

    static List<String> names(List<Telemetry.ProviderRef> refs) {
        return refs.stream().map(Telemetry.ProviderRef::name).toList();
    }
}
