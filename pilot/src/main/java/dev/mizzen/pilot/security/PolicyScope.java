package dev.mizzen.pilot.security;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Security policies of one kind as Istio looks them up for a workload: those of the root namespace (mesh-wide)
 * and those of the workload's own namespace, each namespace in Istio's order (creation time, then name, then
 * namespace). Which of them attach to a workload is the kind's own rule. Immutable.
 *
 * @param <S> the policy's spec record
 */
public final class PolicyScope<S> {
    public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

    /** Istio's sortConfigByCreationTime: creation time, then name, then namespace. */
    public static final Comparator<Config<?>> ISTIO_ORDER = Comparator
            .comparing((Config<?> c) -> c.meta().creationTimestamp())
            .thenComparing(Config::name)
            .thenComparing(Config::namespace);

    private final String rootNamespace;
    private final Map<String, List<Config<S>>> byNamespace;

    private PolicyScope(String rootNamespace, Map<String, List<Config<S>>> byNamespace) {
        this.rootNamespace = rootNamespace;
        this.byNamespace = byNamespace;
    }

    /** @param rootNamespace the mesh's root namespace; null or empty for Istio's default */
    public static <S> PolicyScope<S> of(List<Config<S>> policies, String rootNamespace) {
        List<Config<S>> sorted = new ArrayList<>(policies);
        sorted.sort(ISTIO_ORDER);
        Map<String, List<Config<S>>> byNamespace = new LinkedHashMap<>();
        sorted.forEach(p -> byNamespace.computeIfAbsent(p.namespace(), ns -> new ArrayList<>()).add(p));
        byNamespace.replaceAll((ns, list) -> List.copyOf(list));
        return new PolicyScope<>(rootNamespace == null || rootNamespace.isEmpty() ? DEFAULT_ROOT_NAMESPACE : rootNamespace,
                Map.copyOf(byNamespace));
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /** Every policy, by namespace, each namespace in Istio's order. */
    public List<Config<S>> all() {
        return byNamespace.values().stream().flatMap(List::stream).toList();
    }

    /** What may apply to a workload of {@code namespace}: the root namespace's policies first, then its own. */
    public List<Config<S>> candidates(String namespace) {
        if (rootNamespace.equals(namespace)) {
            return byNamespace.getOrDefault(rootNamespace, List.of());
        }
        List<Config<S>> out = new ArrayList<>(byNamespace.getOrDefault(rootNamespace, List.of()));
        out.addAll(byNamespace.getOrDefault(namespace, List.of()));
        return out;
    }

    /** The policy with this key, if it may apply to a workload of {@code namespace}. */
    public Optional<Config<S>> find(ConfigKey key, String namespace) {
        if (!key.namespace().equals(rootNamespace) && !key.namespace().equals(namespace)) {
            return Optional.empty();
        }
        return byNamespace.getOrDefault(key.namespace(), List.of()).stream()
                .filter(p -> p.name().equals(key.name())).findFirst();
    }
}
