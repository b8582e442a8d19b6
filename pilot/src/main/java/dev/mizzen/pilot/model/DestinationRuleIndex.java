package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Subset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DestinationRules indexed once per push by resolved host. The rule that applies to a proxy comes, as in
 * Istio, from the proxy's own namespace first, then the service's namespace, then the root namespace.
 * Several rules for one host in one namespace merge: subsets add up (first name wins), the oldest traffic
 * policy wins.
 */
public final class DestinationRuleIndex {
    private final Map<String, List<Config<DestinationRule>>> byHost;
    private final MeshSettings mesh;

    private DestinationRuleIndex(Map<String, List<Config<DestinationRule>>> byHost, MeshSettings mesh) {
        this.byHost = byHost;
        this.mesh = mesh;
    }

    public static DestinationRuleIndex build(List<Config<DestinationRule>> rules, MeshSettings mesh) {
        Map<String, List<Config<DestinationRule>>> byHost = new HashMap<>();
        rules.stream()
                .filter(r -> r.spec().workloadSelector() == null)
                .sorted(Config.BY_CREATION)
                .forEach(r -> byHost.computeIfAbsent(
                        Hostnames.resolve(r.spec().host(), r.namespace(), mesh.domainSuffix()), h -> new ArrayList<>()).add(r));
        return new DestinationRuleIndex(byHost, mesh);
    }

    /** The host (resolved) of the indexed rule with this key; empty when no such rule is indexed. */
    public List<String> hostsOf(ConfigKey key) {
        List<String> out = new ArrayList<>();
        byHost.forEach((host, rules) -> {
            if (rules.stream().anyMatch(r -> r.key().equals(key))) {
                out.add(host);
            }
        });
        return out;
    }

    /**
     * The rules that apply to a service for a proxy of a namespace: their keys (proxies of namespaces that see the
     * same rules get the same config for the host, so caches can share it) and their merge, the effective rule.
     */
    public record Applicable(List<ConfigKey> keys, Optional<DestinationRule> rule) {
        static final Applicable NONE = new Applicable(List.of(), Optional.empty());
    }

    /** What applies to a service as seen by a proxy in {@code proxyNamespace}. */
    public Applicable lookup(String hostname, String serviceNamespace, String proxyNamespace) {
        List<Config<DestinationRule>> rules = applicable(hostname, serviceNamespace, proxyNamespace);
        return rules.isEmpty() ? Applicable.NONE
                : new Applicable(rules.stream().map(Config::key).toList(), Optional.of(merge(rules)));
    }

    private List<Config<DestinationRule>> applicable(String hostname, String serviceNamespace, String proxyNamespace) {
        List<Config<DestinationRule>> candidates = candidates(hostname);
        if (candidates.isEmpty()) {
            return List.of();
        }
        for (String tier : List.of(proxyNamespace, serviceNamespace, mesh.rootNamespace())) {
            List<Config<DestinationRule>> inTier = candidates.stream()
                    .filter(r -> r.namespace().equals(tier))
                    .filter(r -> Visibility.visible(r.spec().exportTo(), r.namespace(), proxyNamespace))
                    .toList();
            if (!inTier.isEmpty()) {
                return inTier;
            }
        }
        return List.of();
    }

    private List<Config<DestinationRule>> candidates(String hostname) {
        List<Config<DestinationRule>> exact = byHost.get(hostname);
        if (exact != null) {
            return exact;
        }
        // the most specific wildcard rule applies
        String best = null;
        for (String host : byHost.keySet()) {
            if (host.startsWith("*") && Hostnames.matches(host, hostname)
                    && (best == null || host.length() > best.length())) {
                best = host;
            }
        }
        return best == null ? List.of() : byHost.get(best);
    }

    private static DestinationRule merge(List<Config<DestinationRule>> rules) {
        if (rules.size() == 1) {
            return rules.get(0).spec();
        }
        DestinationRule first = rules.get(0).spec();
        Map<String, Subset> subsets = new LinkedHashMap<>();
        var policy = first.trafficPolicy();
        for (Config<DestinationRule> rule : rules) {
            rule.spec().subsets().forEach(s -> subsets.putIfAbsent(s.name(), s));
            if (policy == null) {
                policy = rule.spec().trafficPolicy();
            }
        }
        return new DestinationRule(first.host(), policy, List.copyOf(subsets.values()), first.exportTo(), null);
    }
}
