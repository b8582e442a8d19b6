package dev.mizzen.pilot.xds;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mizzen.pilot.model.ClusterName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Generated resources of one push, shared by every proxy of a group. Config-derived entries live as long as
 * the config does (a full push starts a new cache); endpoint entries are dropped per service host when only
 * endpoints change; whole responses by name set live for one push. Lists it hands out carry their response
 * version, computed once.
 *
 * <p>It keeps only what exists: a name that generates nothing is not remembered, so clients asking for names
 * that exist nowhere cost a lookup each, never memory. And it is bounded by weight ({@link Limits}): clients
 * decide some keys (the namespace and labels a plaintext proxy claims, the name sets it subscribes to), so the
 * cache forgets the least used entries beyond its budget and regenerates them when asked again, the same bytes.
 *
 * <p>Threading: Caffeine caches, filled outside their compute functions (a generator fills nested entries of the
 * same cache while it runs); two threads may generate the same entry once each, the first stored wins.
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

    /**
     * How much a push's cache may hold.
     *
     * @param maxResourceBytes serialized bytes of generated resources, across config and endpoint entries
     * @param maxReferences    references held by cached responses and diffs (each costs a few bytes)
     */
    public record Limits(long maxResourceBytes, long maxReferences) {
        /** A quarter of the heap for resources, and up to 4 million references (about 32 MB). */
        public static final Limits DEFAULTS = new Limits(Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4),
                4_000_000);
    }

    /** Whether a generated response may be kept for other streams. */
    public enum Sharing {
        /** every resource in it is one the mesh defines */
        SHARED,
        /** it answers names the mesh does not define: whatever one client asked, not worth remembering */
        THIS_REQUEST_ONLY
    }

    /** A generated response and whether it may be kept. */
    public record Response(List<XdsResource> resources, Sharing sharing) {
    }

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

    private final Limits limits;
    private final Cache<Key, XdsResource> configEntries;
    private final Cache<Key, List<XdsResource>> configLists;
    private final Cache<Key, XdsResource> endpointEntries;
    /** whole responses by name set, for this push only: never carried into the next one */
    private final Cache<Key, List<XdsResource>> responses;
    /** what changed between two shared responses, for this push only */
    private final Cache<Pair, List<XdsResource>> changes;
    /** after an endpoint-only push: the previous push's responses, and the hosts whose endpoints changed since */
    private final Cache<Key, List<XdsResource>> previousResponses;
    private final Set<String> endpointsChanged;

    public XdsCache() {
        this(Limits.DEFAULTS);
    }

    public XdsCache(Limits limits) {
        this(limits, resources(limits.maxResourceBytes() / 3), lists(limits.maxResourceBytes() / 3),
                resources(limits.maxResourceBytes() / 3), null, Set.of());
    }

    private XdsCache(Limits limits, Cache<Key, XdsResource> configEntries, Cache<Key, List<XdsResource>> configLists,
                     Cache<Key, XdsResource> endpointEntries, Cache<Key, List<XdsResource>> previousResponses,
                     Set<String> endpointsChanged) {
        this.limits = limits;
        this.configEntries = configEntries;
        this.configLists = configLists;
        this.endpointEntries = endpointEntries;
        this.previousResponses = previousResponses;
        this.endpointsChanged = endpointsChanged;
        this.responses = Caffeine.newBuilder().maximumWeight(limits.maxReferences() / 2)
                .weigher((Key k, List<XdsResource> v) -> 1 + v.size() + (k.scope() instanceof Names n ? n.names().size() : 0))
                .build();
        this.changes = Caffeine.newBuilder().maximumWeight(limits.maxReferences() / 2)
                .weigher((Pair k, List<XdsResource> v) -> 1 + v.size())
                .build();
    }

    private static Cache<Key, XdsResource> resources(long maxBytes) {
        return Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((Key k, XdsResource r) -> weight(r))
                .build();
    }

    private static Cache<Key, List<XdsResource>> lists(long maxBytes) {
        return Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((Key k, List<XdsResource> list) -> {
                    long bytes = 64;
                    for (XdsResource r : list) {
                        bytes += weight(r);
                    }
                    return (int) Math.min(Integer.MAX_VALUE, bytes);
                })
                .build();
    }

    /** A resource's bytes and a little for its name, version and the entry itself. */
    private static int weight(XdsResource r) {
        return 96 + r.body().getValue().size() + 2 * r.name().length();
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
    public List<XdsResource> getResponse(Key key, Supplier<Response> generate) {
        List<XdsResource> cached = responses.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Response made = generate.get();
        List<XdsResource> list = ResourceList.of(made.resources());
        if (made.sharing() != Sharing.SHARED || list.isEmpty()) {
            return list;
        }
        List<XdsResource> raced = responses.asMap().putIfAbsent(key, list);
        return raced == null ? list : raced;
    }

    /**
     * {@link #getResponse(Key, Supplier)} for resources that depend on config and on the endpoints of the host
     * their name ends with (endpoint sets): after an endpoint-only push, the previous push's response for the
     * same key with only the resources of the hosts that changed made again ({@code remake}, by name), instead
     * of walking every name of every subscribed set again. Where the previous response did not hold a resource
     * for every name, or {@code remake} makes nothing, the whole response is generated as before.
     */
    public List<XdsResource> getResponse(Key key, Supplier<Response> generate,
                                         Function<String, Optional<XdsResource>> remake) {
        List<XdsResource> cached = responses.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        List<XdsResource> before = previousResponses == null ? null : previousResponses.getIfPresent(key);
        if (before == null || !(key.scope() instanceof Names names) || before.size() != names.names().size()) {
            return getResponse(key, generate);
        }
        List<XdsResource> now = new ArrayList<>(before.size());
        for (XdsResource r : before) {
            if (!endpointsChanged.contains(hostOf(r.name()))) {
                now.add(r);
                continue;
            }
            Optional<XdsResource> made = remake.apply(r.name());
            if (made.isEmpty()) {
                return getResponse(key, generate);
            }
            now.add(made.get());
        }
        List<XdsResource> list = ResourceList.of(now);
        List<XdsResource> raced = responses.asMap().putIfAbsent(key, list);
        return raced == null ? list : raced;
    }

    /** Generated outside the cache's compute (generators fill nested entries of the same cache). */
    private static List<XdsResource> shared(Cache<Key, List<XdsResource>> cache, Key key,
                                            Supplier<List<XdsResource>> generate) {
        List<XdsResource> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        List<XdsResource> made = ResourceList.of(generate.get());
        if (made.isEmpty()) {
            return made; // nothing to share: names that exist nowhere are not remembered
        }
        List<XdsResource> raced = cache.asMap().putIfAbsent(key, made);
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
        Pair pair = new Pair(before, now);
        List<XdsResource> cached = changes.getIfPresent(pair);
        if (cached != null) {
            return cached;
        }
        List<XdsResource> made = List.copyOf(diff.apply(before, now));
        List<XdsResource> raced = changes.asMap().putIfAbsent(pair, made);
        return raced == null ? made : raced;
    }

    /** Returns the cached resource or generates it; a generator may return empty for "no such resource". */
    public Optional<XdsResource> get(Key key, Supplier<Optional<XdsResource>> generate) {
        Cache<Key, XdsResource> cache = key.typeUrl().equals(TypeUrls.ENDPOINT) ? endpointEntries : configEntries;
        XdsResource cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<XdsResource> made = generate.get();
        if (made.isEmpty()) {
            return made;
        }
        XdsResource raced = cache.asMap().putIfAbsent(key, made.get());
        return Optional.of(raced == null ? made.get() : raced);
    }

    /**
     * A cache for an endpoint-only push: config entries carried over, endpoints of {@code hosts} dropped, and this
     * push's responses kept aside for one more push, to be patched rather than made again.
     */
    public XdsCache withoutEndpointsOf(Set<String> hosts) {
        Cache<Key, XdsResource> kept = resources(limits.maxResourceBytes() / 3);
        endpointEntries.asMap().forEach((key, value) -> {
            if (!hosts.contains(hostOf(key.name()))) {
                kept.put(key, value);
            }
        });
        return new XdsCache(limits, configEntries, configLists, kept, responses, Set.copyOf(hosts));
    }

    /**
     * A cache for a full push caused by VirtualService edits only: clusters (wildcard lists and single ones) and
     * endpoint sets carried over, everything else made again. Neither reads VirtualServices: clusters come from
     * services, DestinationRules, the mesh's mTLS policies and endpoints, endpoint sets from endpoints and
     * DestinationRules. Where endpoints changed meanwhile, the endpoint push that follows drops their entries,
     * as after any endpoint push.
     */
    public XdsCache keepingClustersAndEndpoints() {
        Cache<Key, XdsResource> clusters = resources(limits.maxResourceBytes() / 3);
        configEntries.asMap().forEach((key, value) -> {
            if (key.typeUrl().equals(TypeUrls.CLUSTER)) {
                clusters.put(key, value);
            }
        });
        Cache<Key, List<XdsResource>> clusterLists = lists(limits.maxResourceBytes() / 3);
        configLists.asMap().forEach((key, value) -> {
            if (key.typeUrl().equals(TypeUrls.CLUSTER)) {
                clusterLists.put(key, value);
            }
        });
        return new XdsCache(limits, clusters, clusterLists, endpointEntries, null, Set.of());
    }

    /**
     * The host of a cluster name ({@code outbound|9080|v1|reviews.default.svc.cluster.local}): what follows
     * the last '|', or "" without one. Where {@link ClusterName#parse} finds a host this finds the same one,
     * without splitting and parsing on every endpoint push; where it finds none this may still find one,
     * which only makes a proxy's unchanged endpoints be compared (and not sent) or regenerated.
     */
    public static String hostOf(String clusterName) {
        int bar = clusterName.lastIndexOf('|');
        return bar < 0 ? "" : clusterName.substring(bar + 1);
    }

    /** Entries held now (config, lists and endpoints; not the per-push responses). */
    public long size() {
        return configEntries.estimatedSize() + configLists.estimatedSize() + endpointEntries.estimatedSize();
    }
}
