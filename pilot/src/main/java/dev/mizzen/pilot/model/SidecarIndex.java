package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.Sidecar;

import java.util.List;
import java.util.Map;

/**
 * The Sidecar resource that applies to a proxy, as Istio picks it: one with a workload selector matching the
 * proxy's labels in its namespace, else its namespace's default (no selector), else the root namespace's
 * default. Oldest first where several match.
 */
public final class SidecarIndex {
    private final List<Config<Sidecar>> sidecars;
    private final MeshSettings mesh;

    private SidecarIndex(List<Config<Sidecar>> sidecars, MeshSettings mesh) {
        this.sidecars = sidecars;
        this.mesh = mesh;
    }

    public static SidecarIndex build(List<Config<Sidecar>> sidecars, MeshSettings mesh) {
        return new SidecarIndex(sidecars.stream().sorted(Config.BY_CREATION).toList(), mesh);
    }

    public SidecarScope scopeFor(String namespace, Map<String, String> labels) {
        for (Config<Sidecar> s : sidecars) {
            var selector = s.spec().workloadSelector();
            if (s.namespace().equals(namespace) && selector != null && !selector.labels().isEmpty()
                    && labels.entrySet().containsAll(selector.labels().entrySet())) {
                return SidecarScope.of(s);
            }
        }
        for (String ns : List.of(namespace, mesh.rootNamespace())) {
            for (Config<Sidecar> s : sidecars) {
                var selector = s.spec().workloadSelector();
                if (s.namespace().equals(ns) && (selector == null || selector.labels().isEmpty())) {
                    return SidecarScope.of(s);
                }
            }
        }
        return SidecarScope.DEFAULT;
    }
}
