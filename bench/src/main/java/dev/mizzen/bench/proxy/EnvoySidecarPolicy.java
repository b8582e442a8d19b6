package dev.mizzen.bench.proxy;

import dev.mizzen.pilot.xds.TypeUrls;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Envoy sidecar over state-of-the-world ADS, as Istio's agent runs it by default: CDS and LDS as
 * wildcards, then EDS for the endpoint sets of its EDS clusters ({@code eds_cluster_config.service_name},
 * else the cluster name) and RDS for the route configs its listeners' HTTP connection managers name (every
 * filter chain and the default one).
 *
 * <p>One instance serves a whole fleet. Sidecars of one group hold equal name sets, hundreds to thousands
 * of names each; the policy keeps each distinct set once and hands out that copy, so the load tool's own
 * memory does not grow with the size of every proxy's config and stays out of istiod's per-proxy figures.
 *
 * <p>Threading: the interning maps are concurrent; two threads may intern equal sets at once, either copy
 * is kept. Everything else is immutable.
 */
public final class EnvoySidecarPolicy implements SubscriptionPolicy {
    static final ResourceReader READER = new EnvoyResourceReader();
    private static final Map<String, String> NEXT_TYPE = Map.of(
            TypeUrls.CLUSTER, TypeUrls.ENDPOINT,
            TypeUrls.LISTENER, TypeUrls.ROUTE);
    /** Distinct sets are few (per group and type); past this many something else is going on: start over. */
    private static final int MAX_SETS = 100_000;

    private final Map<Set<String>, Set<String>> sets = new ConcurrentHashMap<>();
    private final Map<Set<String>, Subscription> subscriptions = new ConcurrentHashMap<>();

    @Override
    public Map<String, Subscription> initial() {
        Map<String, Subscription> out = new LinkedHashMap<>();
        out.put(TypeUrls.CLUSTER, Subscription.all());
        out.put(TypeUrls.LISTENER, Subscription.all());
        return out;
    }

    @Override
    public Map<String, Subscription> next(String typeUrl, List<ResourceInfo> resources) {
        String nextType = NEXT_TYPE.get(typeUrl);
        if (nextType == null) {
            return Map.of();
        }
        Set<String> names = new HashSet<>();
        for (ResourceInfo resource : resources) {
            names.addAll(resource.references().getOrDefault(nextType, Set.of()));
        }
        Set<String> canonical = intern(names);
        Subscription subscription = subscriptions.computeIfAbsent(canonical, Subscription::of);
        return Map.of(nextType, subscription);
    }

    @Override
    public Set<String> held(String typeUrl, Set<String> names) {
        return intern(names);
    }

    private Set<String> intern(Set<String> names) {
        Set<String> known = sets.get(names);
        if (known != null) {
            return known;
        }
        if (sets.size() >= MAX_SETS) {
            sets.clear();
            subscriptions.clear();
        }
        Set<String> copy = Set.copyOf(names);
        Set<String> raced = sets.putIfAbsent(copy, copy);
        return raced == null ? copy : raced;
    }

    @Override
    public List<String> types() {
        return List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER, TypeUrls.ROUTE, TypeUrls.ENDPOINT);
    }

    @Override
    public ResourceReader reader() {
        return READER;
    }
}
