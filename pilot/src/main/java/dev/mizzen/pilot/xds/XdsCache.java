package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.ClusterName;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * Generated resources of one push, shared by every proxy of a group. Config-derived entries live as long as
 * the config does (a full push starts a new cache); endpoint entries are dropped per service host when only
 * endpoints change; whole responses by name set live for one push. Lists it hands out carry their response
 * version, computed once.
 *
 * <p>Threading: lock-free maps; two threads may generate the same entry once each, the first stored wins.
 */
public final class XdsCache {
    /**
     * @param scope what else the resource depends on: a proxy group, or null when it is the same for all
     */
    public record Key(String typeUrl, String name, Object scope) {
    }

    /**
     * What a response for a set of names depends on: the names, and what else the resources depend on.
     *
     * @param names the subscribed names (equal sets make equal keys)
     * @param scope as in {@link Key#scope}
     */
    public record Names(Set<String> names, Object scope) {
    }

    private final ConcurrentMap<Key, Optional<XdsResource>> configEntries;
    private final ConcurrentMap<Key, List<XdsResource>> configLists;
    private final ConcurrentMap<Key, Optional<XdsResource>> endpointEntries;
    /** whole responses by name set, for this push only: never carried into the next one */
    private final ConcurrentMap<Key, List<XdsResource>> responses = new ConcurrentHashMap<>();
    /** what changed between two shared responses, for this push only */
    private final ConcurrentMap<Pair, List<XdsResource>> changes = new ConcurrentHashMap<>();

    /** Two lists by identity: shared lists are compared once, not hashed element by element. */
    private record Pair(List<XdsResource> before, List<XdsResource> now) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.before == before && p.now == now;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(before) + System.identityHashCode(now);
        }
    }

    public XdsCache() {
        this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    private XdsCache(ConcurrentMap<Key, Optional<XdsResource>> configEntries, ConcurrentMap<Key, List<XdsResource>> configLists,
                     ConcurrentMap<Key, Optional<XdsResource>> endpointEntries) {
        this.configEntries = configEntries;
        this.configLists = configLists;
        this.endpointEntries = endpointEntries;
    }

    /** A whole set of config-derived resources generated at once (wildcard CDS/LDS of Envoy). */
    public List<XdsResource> getAll(Key key, Supplier<List<XdsResource>> generate) {
        return shared(configLists, key, generate);
    }

    /**
     * A response for a set of names ({@link Names} in the key's scope), generated once per push and shared
     * by every stream that subscribes to equal names alike: a thousand sidecars of a namespace ask for the
     * same 1,300 endpoint sets. It lives for this push only, since any endpoint push may change any of it.
     */
    public List<XdsResource> getResponse(Key key, Supplier<List<XdsResource>> generate) {
        return shared(responses, key, generate);
    }

    private static List<XdsResource> shared(ConcurrentMap<Key, List<XdsResource>> map, Key key,
                                            Supplier<List<XdsResource>> generate) {
        List<XdsResource> cached = map.get(key);
        if (cached != null) {
            return cached;
        }
        List<XdsResource> made = ResourceList.of(generate.get());
        List<XdsResource> raced = map.putIfAbsent(key, made);
        return raced == null ? made : raced;
    }

    /**
     * What {@code diff} finds between two responses, computed once per push for lists this cache handed out
     * (the sidecars of a namespace go from the same endpoint sets to the same new ones), else each time.
     */
    public List<XdsResource> changes(List<XdsResource> before, List<XdsResource> now,
                                     BinaryOperator<List<XdsResource>> diff) {
        if (!(before instanceof ResourceList && now instanceof ResourceList)) {
            return diff.apply(before, now);
        }
        return changes.computeIfAbsent(new Pair(before, now), p -> List.copyOf(diff.apply(before, now)));
    }

    /** Returns the cached resource or generates it; a generator may return empty for "no such resource". */
    public Optional<XdsResource> get(Key key, Supplier<Optional<XdsResource>> generate) {
        var map = key.typeUrl().equals(TypeUrls.ENDPOINT) ? endpointEntries : configEntries;
        Optional<XdsResource> cached = map.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<XdsResource> made = generate.get();
        Optional<XdsResource> raced = map.putIfAbsent(key, made);
        return raced == null ? made : raced;
    }

    /** A cache for an endpoint-only push: config entries carried over, endpoints of {@code hosts} dropped. */
    public XdsCache withoutEndpointsOf(Set<String> hosts) {
        ConcurrentMap<Key, Optional<XdsResource>> kept = new ConcurrentHashMap<>();
        endpointEntries.forEach((key, value) -> {
            if (!hosts.contains(hostOf(key.name()))) {
                kept.put(key, value);
            }
        });
        return new XdsCache(configEntries, configLists, kept);
    }

    /**
     * The host of a cluster name ({@code outbound|9080|v1|reviews.default.svc.cluster.local}): what follows
     * the last '|', or "" without one. Where {@link ClusterName#parse} finds a host this finds the same one,
     * without splitting and parsing on every endpoint push; where it finds none this may still find one,
     * which only makes a proxy's unchanged endpoints be compared (and not sent) or regenerated.
     */
    static String hostOf(String clusterName) {
        int bar = clusterName.lastIndexOf('|');
        return bar < 0 ? "" : clusterName.substring(bar + 1);
    }

    public int size() {
        return configEntries.size() + configLists.size() + endpointEntries.size();
    }
}
