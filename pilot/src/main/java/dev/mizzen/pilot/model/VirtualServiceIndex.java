package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.VirtualService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * VirtualServices indexed once per push by the hosts they route, resolved in their own namespace.
 * Lookups return the VirtualServices a proxy in a namespace may see, exact hosts before wildcards,
 * oldest first: Istio's precedence when several claim one host.
 */
public final class VirtualServiceIndex {
    /** The name of the implicit gateway that stands for every sidecar. */
    public static final String MESH_GATEWAY = "mesh";

    /** One VirtualService with its hosts resolved and the gateways (ns/name, or mesh) it binds to. */
    public record Entry(Config<VirtualService> config, List<String> hosts, List<String> gateways) {
        public boolean bindsTo(String gateway) {
            return gateways.contains(gateway);
        }
    }

    private final List<Entry> entries;
    private final Map<String, List<Entry>> byExactHost;
    private final List<Entry> wildcards;
    private final Set<String> sourceLabelKeys;

    private VirtualServiceIndex(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        Set<String> keys = new TreeSet<>();
        for (Entry entry : entries) {
            for (HttpRoute route : entry.config().spec().http()) {
                for (HttpMatchRequest match : route.match()) {
                    keys.addAll(match.sourceLabels().keySet());
                }
            }
        }
        this.sourceLabelKeys = Set.copyOf(keys);
        Map<String, List<Entry>> exact = new HashMap<>();
        List<Entry> wild = new ArrayList<>();
        for (Entry entry : entries) {
            for (String host : entry.hosts()) {
                if (host.startsWith("*")) {
                    if (!wild.contains(entry)) {
                        wild.add(entry);
                    }
                } else {
                    exact.computeIfAbsent(host, h -> new ArrayList<>()).add(entry);
                }
            }
        }
        this.byExactHost = exact;
        this.wildcards = wild;
    }

    public static VirtualServiceIndex build(List<Config<VirtualService>> virtualServices, MeshSettings mesh) {
        List<Entry> entries = virtualServices.stream()
                .sorted(Config.BY_CREATION)
                .map(vs -> new Entry(vs,
                        vs.spec().hosts().stream().map(h -> Hostnames.resolve(h, vs.namespace(), mesh.domainSuffix())).toList(),
                        gateways(vs)))
                .toList();
        return new VirtualServiceIndex(entries);
    }

    private static List<String> gateways(Config<VirtualService> vs) {
        if (vs.spec().gateways().isEmpty()) {
            return List.of(MESH_GATEWAY);
        }
        return vs.spec().gateways().stream()
                .map(g -> g.equals(MESH_GATEWAY) || g.contains("/") ? g : vs.namespace() + "/" + g)
                .toList();
    }

    /**
     * The label keys that HTTP route matches select source workloads by ({@code sourceLabels}): the only
     * labels of a proxy that its routes depend on.
     */
    public Set<String> sourceLabelKeys() {
        return sourceLabelKeys;
    }

    /** The hosts (resolved) of the VirtualService with this key; empty when there is none. */
    public List<String> hostsOf(ConfigKey key) {
        return entries.stream().filter(e -> e.config().key().equals(key)).findFirst().map(Entry::hosts).orElse(List.of());
    }

    public List<Entry> all() {
        return entries;
    }

    /**
     * The VirtualServices bound to {@code gateway} (or {@link #MESH_GATEWAY}) that route {@code hostname} and
     * that a proxy in {@code namespace} may see: exact hosts first, then wildcards by specificity; oldest first.
     */
    public List<Entry> forHost(String hostname, String gateway, String namespace) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : byExactHost.getOrDefault(hostname, List.of())) {
            if (e.bindsTo(gateway) && visible(e, namespace)) {
                out.add(e);
            }
        }
        List<Entry> wild = new ArrayList<>();
        for (Entry e : wildcards) {
            if (e.bindsTo(gateway) && visible(e, namespace)
                    && e.hosts().stream().anyMatch(h -> h.startsWith("*") && Hostnames.matches(h, hostname))) {
                wild.add(e);
            }
        }
        wild.sort(Comparator.comparingInt((Entry e) -> -longestMatch(e, hostname)));
        out.addAll(wild);
        return out;
    }

    private static int longestMatch(Entry e, String hostname) {
        return e.hosts().stream().filter(h -> Hostnames.matches(h, hostname)).mapToInt(String::length).max().orElse(0);
    }

    private static boolean visible(Entry e, String namespace) {
        return Visibility.visible(e.config().spec().exportTo(), e.config().namespace(), namespace);
    }
}
