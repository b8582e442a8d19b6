package dev.mizzen.pilot.networking.telemetry;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.PolicyTargetReference;
import dev.mizzen.api.telemetry.Telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Telemetry resources of one push, by namespace, oldest first (Istio's Telemetries and
 * applicableTelemetries): a proxy gets the root namespace's namespace-wide one, then its namespace's, then those
 * of its namespace that select it by labels or by a Gateway target reference, later ones overriding earlier
 * ones. Immutable.
 */
public final class TelemetryIndex {
    public static final TelemetryIndex EMPTY = new TelemetryIndex(Map.of(), "istio-system");
    private static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

    private final Map<String, List<Config<Telemetry>>> byNamespace;
    private final String rootNamespace;

    private TelemetryIndex(Map<String, List<Config<Telemetry>>> byNamespace, String rootNamespace) {
        this.byNamespace = byNamespace;
        this.rootNamespace = rootNamespace;
    }

    public static TelemetryIndex build(List<Config<Telemetry>> telemetries, String rootNamespace) {
        Map<String, List<Config<Telemetry>>> byNamespace = new HashMap<>();
        telemetries.stream().sorted(Config.BY_CREATION)
                .forEach(c -> byNamespace.computeIfAbsent(c.namespace(), k -> new ArrayList<>()).add(c));
        byNamespace.replaceAll((k, v) -> List.copyOf(v));
        return new TelemetryIndex(Map.copyOf(byNamespace), rootNamespace);
    }

    /** The Telemetry specs that apply to a proxy of this namespace and these labels, in the order they apply. */
    public Applicable forProxy(String namespace, Map<String, String> labels) {
        List<Config<Telemetry>> out = new ArrayList<>();
        namespaceWide(rootNamespace).ifPresent(out::add);
        if (!namespace.equals(rootNamespace)) {
            namespaceWide(namespace).ifPresent(out::add);
        }
        for (Config<Telemetry> c : byNamespace.getOrDefault(namespace, List.of())) {
            if (!isNamespaceWide(c.spec()) && selects(c.spec(), labels)) {
                out.add(c);
            }
        }
        return new Applicable(out.stream().map(Config::spec).toList(),
                out.stream().map(c -> c.namespace() + "/" + c.name()).toList());
    }

    /**
     * What applies to one proxy.
     *
     * @param specs the specs, root first, workload last
     * @param names {@code ns/name} of each, for caching and debugging
     */
    public record Applicable(List<Telemetry> specs, List<String> names) {
        public Applicable {
            specs = List.copyOf(specs);
            names = List.copyOf(names);
        }
    }

    private java.util.Optional<Config<Telemetry>> namespaceWide(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of()).stream().filter(c -> isNamespaceWide(c.spec())).findFirst();
    }

    private static boolean isNamespaceWide(Telemetry t) {
        return (t.selector() == null || t.selector().matchLabels().isEmpty()) && t.targetRef() == null
                && t.targetRefs().isEmpty();
    }

    private static boolean selects(Telemetry t, Map<String, String> labels) {
        List<PolicyTargetReference> refs = new ArrayList<>(t.targetRefs());
        if (t.targetRef() != null) {
            refs.add(t.targetRef());
        }
        if (!refs.isEmpty()) {
            return refs.stream().anyMatch(r -> "Gateway".equals(r.kind()) && r.name() != null
                    && r.name().equals(labels.get(GATEWAY_NAME_LABEL)));
        }
        return t.selector() != null && labels.entrySet().containsAll(t.selector().matchLabels().entrySet());
    }
}
