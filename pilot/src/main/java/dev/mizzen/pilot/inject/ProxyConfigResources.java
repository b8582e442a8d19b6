package dev.mizzen.pilot.inject;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.ProxyConfig;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ProxyConfig resources a pod's injection sees, chosen as Istio's EffectiveProxyConfig chooses them
 * (pilot/pkg/model/proxy_config.go): the oldest one without a selector in the root namespace (mesh-wide), the oldest
 * one without a selector in the pod's namespace, and the oldest one of the pod's namespace whose selector its labels
 * match; each as the mesh ProxyConfig fields it sets ({@code concurrency}, {@code environmentVariables} as
 * {@code proxyMetadata}, {@code image}). Immutable.
 */
public final class ProxyConfigResources {
    public static final ProxyConfigResources NONE = new ProxyConfigResources(List.of(), "istio-system");

    /** What Istio's injection merges, from lowest precedence to highest (the annotation goes before the workload's). */
    record Layers(Optional<ObjectNode> mesh, Optional<ObjectNode> namespace, Optional<ObjectNode> workload) {
    }

    private final List<Config<ProxyConfig>> configs;
    private final String rootNamespace;

    private ProxyConfigResources(List<Config<ProxyConfig>> configs, String rootNamespace) {
        this.configs = configs;
        this.rootNamespace = rootNamespace;
    }

    /** Istio's sortConfigByCreationTime: oldest first, then by name and namespace. */
    public static ProxyConfigResources of(List<Config<ProxyConfig>> configs, String rootNamespace) {
        return new ProxyConfigResources(configs.stream().sorted(Comparator.comparing((Config<ProxyConfig> c) ->
                        c.meta().creationTimestamp(), Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                .thenComparing(Config::name).thenComparing(Config::namespace)).toList(), rootNamespace);
    }

    Layers layers(String namespace, Map<String, String> podLabels) {
        Optional<ObjectNode> mesh = namespaceWide(rootNamespace);
        Optional<ObjectNode> ns = namespace.equals(rootNamespace) ? Optional.empty() : namespaceWide(namespace);
        Optional<ObjectNode> workload = configs.stream()
                .filter(c -> c.namespace().equals(namespace) && hasSelector(c.spec())
                        && podLabels.entrySet().containsAll(c.spec().selector().matchLabels().entrySet()))
                .findFirst().map(c -> fields(c.spec()));
        return new Layers(mesh, ns, workload);
    }

    private Optional<ObjectNode> namespaceWide(String namespace) {
        return configs.stream().filter(c -> c.namespace().equals(namespace) && c.spec().selector() == null)
                .findFirst().map(c -> fields(c.spec()));
    }

    private static boolean hasSelector(ProxyConfig spec) {
        return spec.selector() != null && !spec.selector().matchLabels().isEmpty();
    }

    /** Istio's toMeshConfigProxyConfig, as the protobuf JSON the injector's proxy config tree holds. */
    static ObjectNode fields(ProxyConfig spec) {
        ObjectNode out = Trees.object();
        if (spec.concurrency() != null) {
            out.put("concurrency", spec.concurrency());
        }
        if (!spec.environmentVariables().isEmpty()) {
            ObjectNode metadata = out.putObject("proxyMetadata");
            spec.environmentVariables().forEach(metadata::put);
        }
        if (spec.image() != null && spec.image().imageType() != null) {
            out.putObject("image").put("imageType", spec.image().imageType());
        }
        return out;
    }
}
