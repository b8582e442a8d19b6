package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.ConfigSnapshot;

import java.util.List;
import java.util.Objects;

/**
 * One consistent view of everything analysis reads: Istio config, the Kubernetes objects it refers to, mesh
 * settings, the injector's ConfigMaps, and messages an earlier stage already found (schema validation of files).
 * Immutable; analyzers are pure functions of it.
 */
public record AnalysisInput(ConfigSnapshot config, List<KubeService> services, List<KubeWorkload> workloads,
                            List<KubeNamespace> namespaces, MeshOptions mesh, List<DiagMessage> earlier,
                            List<InjectorConfigMap> injectors, List<KubeSecret> secrets) {
    public AnalysisInput {
        Objects.requireNonNull(config, "config");
        services = services == null ? List.of() : List.copyOf(services);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        mesh = mesh == null ? MeshOptions.DEFAULT : mesh;
        earlier = earlier == null ? List.of() : List.copyOf(earlier);
        injectors = injectors == null ? List.of() : List.copyOf(injectors);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** An input without Secrets. */
    public AnalysisInput(ConfigSnapshot config, List<KubeService> services, List<KubeWorkload> workloads,
                         List<KubeNamespace> namespaces, MeshOptions mesh, List<DiagMessage> earlier,
                         List<InjectorConfigMap> injectors) {
        this(config, services, workloads, namespaces, mesh, earlier, injectors, List.of());
    }

    /** The same input with these Secrets. */
    public AnalysisInput withSecrets(List<KubeSecret> secrets) {
        return new AnalysisInput(config, services, workloads, namespaces, mesh, earlier, injectors, secrets);
    }

    /** The Secret of this name in this namespace, if read. */
    public java.util.Optional<KubeSecret> secret(String namespace, String name) {
        return secrets.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
    }

    /** An input without injector ConfigMaps. */
    public AnalysisInput(ConfigSnapshot config, List<KubeService> services, List<KubeWorkload> workloads,
                         List<KubeNamespace> namespaces, MeshOptions mesh, List<DiagMessage> earlier) {
        this(config, services, workloads, namespaces, mesh, earlier, List.of(), List.of());
    }

    /** The injector ConfigMap of this name, if read. */
    public java.util.Optional<InjectorConfigMap> injector(String name) {
        return injectors.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public static AnalysisInput of(ConfigSnapshot config, List<KubeService> services, List<KubeWorkload> workloads,
                                   List<KubeNamespace> namespaces) {
        return new AnalysisInput(config, services, workloads, namespaces, MeshOptions.DEFAULT, List.of());
    }
}
