package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.ServicePort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an analyzer sees while it runs: the input, the indexes several analyzers share (built once, on first
 * use), and where its messages go. One context per analysis run, used by one thread.
 */
public final class AnalysisContext {
    static final String EXPORT_TO_ALL = "*";
    static final String EXPORT_TO_LOCAL = ".";

    /**
     * A service or ServiceEntry as a destination: its host, its ports, and the labels that select its workloads (a
     * Service's selector, a ServiceEntry's workload selector; empty when it selects none).
     */
    record HostEntry(String host, List<Integer> ports, Map<String, String> selector) {
    }

    private final AnalysisInput input;
    private final List<DiagMessage> messages = new ArrayList<>();
    private Map<String, HostEntry> scopedHosts;
    private List<Map.Entry<String, HostEntry>> wildcardHosts;
    private Set<String> namespaces;
    private Map<String, List<KubeWorkload>> workloadsByLabel;

    AnalysisContext(AnalysisInput input) {
        this.input = input;
    }

    public AnalysisInput input() {
        return input;
    }

    public <S> List<Config<S>> list(ConfigKind<S> kind) {
        return input.config().list(kind);
    }

    public void report(DiagMessage message) {
        messages.add(message);
    }

    List<DiagMessage> messages() {
        return messages;
    }

    String clusterDomain() {
        return input.mesh().clusterDomain();
    }

    static Origin origin(Config<?> config) {
        return new Origin(config.key().kind().kind(), config.namespace(), config.name());
    }

    /**
     * Every namespace known: Namespace objects, and the namespace of every object (a file analysed offline need not
     * carry its Namespace objects).
     */
    Set<String> namespaces() {
        if (namespaces == null) {
            Set<String> names = new LinkedHashSet<>();
            input.namespaces().forEach(n -> names.add(n.name()));
            if (input.namespaces().isEmpty()) {
                input.services().forEach(s -> names.add(s.namespace()));
                input.workloads().forEach(w -> names.add(w.namespace()));
                for (ConfigKind<?> kind : ConfigKind.all()) {
                    input.config().list(kind).forEach(c -> names.add(c.namespace()));
                }
            }
            names.remove("");
            namespaces = names;
        }
        return namespaces;
    }

    /**
     * Whether some workload (a Pod or a controller's pod template) carries every label of the selector; the empty
     * selector selects any. Looks only at the workloads carrying the selector's rarest label (an index built once),
     * so checking each of thousands of subsets stays cheap.
     */
    boolean anyWorkloadSelected(Map<String, String> selector) {
        if (selector.isEmpty()) {
            return !input.workloads().isEmpty();
        }
        if (workloadsByLabel == null) {
            Map<String, List<KubeWorkload>> index = new HashMap<>();
            for (KubeWorkload w : input.workloads()) {
                w.podLabels().forEach((k, v) -> index.computeIfAbsent(k + "=" + v, x -> new ArrayList<>()).add(w));
            }
            workloadsByLabel = index;
        }
        List<KubeWorkload> candidates = null;
        for (Map.Entry<String, String> e : selector.entrySet()) {
            List<KubeWorkload> carrying = workloadsByLabel.getOrDefault(e.getKey() + "=" + e.getValue(), List.of());
            if (candidates == null || carrying.size() < candidates.size()) {
                candidates = carrying;
            }
        }
        return candidates.stream().anyMatch(w -> Selectors.matches(selector, w.podLabels()));
    }

    /** Pods only (controllers stand for pods in files analysed offline when no Pod objects are given). */
    List<KubeWorkload> pods() {
        return input.workloads().stream().filter(KubeWorkload::isPod).toList();
    }

    /**
     * Istio's {@code InitServiceEntryHostMap}: every ServiceEntry host and Kubernetes service, keyed
     * {@code scope/fqdn} where scope is a namespace it is visible in or {@code *}.
     */
    Map<String, HostEntry> scopedHosts() {
        if (scopedHosts == null) {
            Map<String, HostEntry> map = new HashMap<>();
            String domain = clusterDomain();
            for (Config<ServiceEntry> c : list(ConfigKind.SERVICE_ENTRY)) {
                ServiceEntry se = c.spec();
                List<Integer> ports = se.ports().stream().map(ServicePort::number)
                        .map(n -> n == null ? 0 : n).toList();
                for (String h : se.hosts()) {
                    HostEntry entry = new HostEntry(h, ports,
                            se.workloadSelector() == null ? Map.of() : se.workloadSelector().labels());
                    if (se.exportTo().isEmpty() || se.exportTo().contains(EXPORT_TO_ALL)) {
                        map.put(scoped(EXPORT_TO_ALL, c.namespace(), h, domain), entry);
                        continue;
                    }
                    for (String ns : se.exportTo()) {
                        String scope = ns.equals(EXPORT_TO_LOCAL) ? c.namespace() : ns;
                        map.put(scoped(scope, c.namespace(), h, domain), entry);
                    }
                }
            }
            for (KubeService s : input.services()) {
                List<Integer> ports = s.ports().stream().map(KubeServicePort::port).toList();
                HostEntry entry = new HostEntry(HostNames.fqdn(s.namespace(), s.name(), domain), ports, s.selector());
                String exportTo = s.annotations().getOrDefault("networking.istio.io/exportTo", "");
                if (exportTo.isEmpty()) {
                    map.put(scoped(EXPORT_TO_ALL, s.namespace(), s.name(), domain), entry);
                } else {
                    for (String ns : exportTo.split(",")) {
                        String scope = ns.equals(EXPORT_TO_LOCAL) ? s.namespace() : ns;
                        map.put(scoped(scope, s.namespace(), s.name(), domain), entry);
                    }
                }
            }
            scopedHosts = map;
            wildcardHosts = map.entrySet().stream()
                    .filter(e -> e.getKey().substring(e.getKey().indexOf('/') + 1).startsWith("*")).toList();
        }
        return scopedHosts;
    }

    static String scoped(String scope, String namespace, String host, String domain) {
        return scope + "/" + HostNames.fqdn(namespace, host, domain);
    }

    /**
     * Istio's {@code GetDestinationHost}: the service or ServiceEntry a destination host names, as seen from an
     * object in {@code sourceNs} exported to {@code exportTo}; null when there is none.
     */
    HostEntry destinationHost(String sourceNs, List<String> exportTo, String host) {
        Map<String, HostEntry> map = scopedHosts();
        String domain = clusterDomain();
        HostEntry found = map.get(scoped(EXPORT_TO_ALL, sourceNs, host, domain));
        if (found != null) {
            return found;
        }
        if (exportTo.isEmpty()) {
            found = map.get(scoped(sourceNs, sourceNs, host, domain));
            if (found != null) {
                return found;
            }
        } else {
            for (String e : exportTo) {
                String scope = e.equals(EXPORT_TO_LOCAL) ? sourceNs : e;
                found = map.get(scoped(scope, sourceNs, host, domain));
                if (found != null) {
                    return found;
                }
            }
        }
        String bare = host.startsWith("*") ? host.substring(1) : host;
        for (Map.Entry<String, HostEntry> e : wildcardHosts) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            String scope = key.substring(0, slash);
            if (!scope.equals(EXPORT_TO_ALL) && !scope.equals(sourceNs)) {
                continue;
            }
            if (bare.endsWith(key.substring(slash + 2))) {
                return e.getValue();
            }
        }
        return null;
    }
}
