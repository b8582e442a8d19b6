package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.ConfigSnapshot;

import java.util.List;
import java.util.Objects;

/**
 * One consistent view of everything analysis reads: Istio config, the Kubernetes objects it refers to, mesh
 * settings, and messages an earlier stage already found (schema validation of files). Immutable; analyzers are
 * pure functions of it.
 */
public record AnalysisInput(ConfigSnapshot config, List<KubeService> services, List<KubeWorkload> workloads,
                            List<KubeNamespace> namespaces, MeshOptions mesh, List<DiagMessage> earlier) {
    public AnalysisInput {
        Objects.requireNonNull(config, "config");
        services = services == null ? List.of() : List.copyOf(services);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        mesh = mesh == null ? MeshOptions.DEFAULT : mesh;
        earlier = earlier == null ? List.of() : List.copyOf(earlier);
    }

    public static AnalysisInput of(ConfigSnapshot config, List<KubeService> services, List<KubeWorkload> workloads,
                                   List<KubeNamespace> namespaces) {
        return new AnalysisInput(config, services, workloads, namespaces, MeshOptions.DEFAULT, List.of());
    }
}
