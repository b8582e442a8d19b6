package dev.mizzen.istiod.debug;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.xds.ConnectionStatus;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsDebug;
import dev.mizzen.pilot.xds.debug.ConfigDumps;
import dev.mizzen.pilot.xds.debug.EnvoyTypes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The debug endpoints about connected proxies, with Istio's JSON shapes ({@code pilot/pkg/xds/debug.go}):
 * {@code syncz} ({@code []SyncStatus}), {@code adsz} and {@code connections} ({@code AdsClients}) and
 * {@code config_dump} (Envoy's admin {@code ConfigDump}). Clients that only ask debug types ({@code istioctl}) are
 * left out, as Istio's syncz leaves them out.
 *
 * <p>Bounded for 10,000 proxies: lists take {@code limit} (at most {@value #MAX_LIMIT}) and {@code after} (a
 * connection id: the page after it, in the sorted order); a cut list says where to go on in the header
 * {@value #NEXT_HEADER}. adsz lists at most {@value #MAX_WATCHED_NAMES} names per type and proxy. Without a limit,
 * syncz and connections list up to {@value #DEFAULT_LIMIT} proxies, adsz {@value #DEFAULT_ADSZ_LIMIT}.
 */
final class ConnectionViews {
    static final String NEXT_HEADER = "X-Mizzen-Next-After";
    static final int DEFAULT_LIMIT = 10_000;
    static final int DEFAULT_ADSZ_LIMIT = 100;
    static final int MAX_LIMIT = 50_000;
    static final int MAX_WATCHED_NAMES = 1_000;
    /** Istio's syncz fields per type: the short names of its SyncStatus. */
    private static final Map<String, String> SYNCZ_PREFIX = Map.of(TypeUrls.CLUSTER, "cluster",
            TypeUrls.LISTENER, "listener", TypeUrls.ROUTE, "route", TypeUrls.ENDPOINT, "endpoint",
            TypeUrls.EXTENSION_CONFIG, "extensionconfig");

    private final AdsServer ads;

    ConnectionViews(AdsServer ads) {
        this.ads = ads;
    }

    void register(Map<String, DebugEndpoint> endpoints) {
        endpoints.put("syncz", DebugEndpoint.of("Synchronization status of all Envoys connected to this Pilot instance", this::syncz));
        endpoints.put("adsz", DebugEndpoint.of("Status and debug interface for ADS", this::adsz));
        endpoints.put("connections", DebugEndpoint.of("Info about the connected XDS clients", this::connections));
        endpoints.put("config_dump", DebugEndpoint.of(
                "ConfigDump in the form of the Envoy admin config dump API for passed in proxyID", this::configDump));
        endpoints.put("edsz", DebugEndpoint.of("Status and debug interface for EDS",
                r -> configDump(withTypes(r, "eds"))));
    }

    /** One page of the proxies the caller may see, in Istio's order (by proxy id). */
    private Page page(DebugRequest request, int defaultLimit) {
        Optional<String> namespace = request.callerNamespace().or(() -> request.param("namespace").filter(n -> !n.isEmpty()));
        int limit = request.intParam("limit", defaultLimit, MAX_LIMIT);
        Optional<String> after = request.param("after");
        List<ConnectionStatus> out = new ArrayList<>();
        String next = null;
        for (ConnectionStatus c : ads.status()) {
            if (c.isDebugClient() || namespace.isPresent() && !namespace.get().equals(c.proxy().namespace())) {
                continue;
            }
            if (after.isPresent() && key(c).compareTo(after.get()) <= 0) {
                continue;
            }
            if (out.size() == limit) {
                next = key(out.get(out.size() - 1));
                break;
            }
            out.add(c);
        }
        return new Page(out, next);
    }

    /** The paging key: connection ids, in the order the list is sorted (Istio's {@code SortedClients}). */
    private static String key(ConnectionStatus c) {
        return c.connectionId();
    }

    private record Page(List<ConnectionStatus> items, String next) {
        Map<String, String> headers() {
            return next == null ? Map.of() : Map.of(NEXT_HEADER, next);
        }
    }

    private DebugResponse syncz(DebugRequest request) {
        Page page = page(request, DEFAULT_LIMIT);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectionStatus c : page.items()) {
            Map<String, Object> s = new LinkedHashMap<>();
            put(s, "cluster_id", XdsDebug.clusterId(c.proxy()));
            put(s, "proxy", c.proxyId());
            put(s, "proxy_type", c.proxy().type().name().toLowerCase(Locale.ROOT));
            put(s, "istio_version", c.proxy().metadata().getOrDefault("ISTIO_VERSION", ""));
            SYNCZ_PREFIX.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
                ConnectionStatus.TypeStatus t = c.types().get(e.getKey());
                if (t != null) {
                    put(s, e.getValue() + "_sent", t.sentNonce());
                    put(s, e.getValue() + "_acked", t.ackedNonce());
                }
            });
            Map<String, Object> resources = new TreeMap<>();
            for (ConnectionStatus.TypeStatus t : c.types().values()) {
                Map<String, Object> r = new LinkedHashMap<>();
                put(r, "sent", t.sentNonce());
                put(r, "acked", t.ackedNonce());
                t.lastSent().ifPresent(at -> r.put("sentTime", Json.time(at)));
                t.lastError().ifPresent(error -> r.put("lastError", error));
                // not in Istio's ResourceStatus: its reading of sent and acked, as istioctl prints it
                r.put("status", t.state().label());
                resources.put(t.typeUrl(), r);
            }
            if (!resources.isEmpty()) {
                s.put("resources", resources);
            }
            out.add(s);
        }
        return Json.write(out, request).withHeaders(page.headers());
    }

    private DebugResponse adsz(DebugRequest request) {
        Optional<String> proxyId = request.param("proxyID").filter(p -> !p.isEmpty());
        List<ConnectionStatus> connections;
        Map<String, String> headers = Map.of();
        if (proxyId.isPresent()) {
            Optional<ConnectionStatus> found = find(proxyId.get(), request);
            if (found.isEmpty()) {
                return DebugResponse.proxyNotConnected();
            }
            connections = List.of(found.get());
        } else {
            Page page = page(request, DEFAULT_ADSZ_LIMIT);
            connections = page.items();
            headers = page.headers();
        }
        boolean truncated = false;
        List<Map<String, Object>> clients = new ArrayList<>();
        for (ConnectionStatus c : connections) {
            Map<String, Object> client = client(c);
            Proxy proxy = c.proxy();
            if (!proxy.labels().isEmpty()) {
                client.put("labels", new TreeMap<>(proxy.labels()));
            }
            client.put("metadata", metadata(proxy));
            Map<String, List<String>> watches = new TreeMap<>();
            for (ConnectionStatus.TypeStatus t : c.types().values()) {
                List<String> names = t.names().stream().sorted().limit(MAX_WATCHED_NAMES).toList();
                truncated |= t.names().size() > MAX_WATCHED_NAMES;
                watches.put(t.typeUrl(), names);
            }
            client.put("watches", watches);
            clients.add(client);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalClients", connections.size());
        if (!clients.isEmpty()) {
            out.put("clients", clients);
        }
        DebugResponse response = Json.write(out, request).withHeaders(headers);
        return truncated ? response.withHeaders(Map.of("X-Mizzen-Truncated", "watches: at most " + MAX_WATCHED_NAMES
                + " names per type")) : response;
    }

    private DebugResponse connections(DebugRequest request) {
        Page page = page(request, DEFAULT_LIMIT);
        List<Map<String, Object>> clients = page.items().stream().map(ConnectionViews::client).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalClients", clients.size());
        if (!clients.isEmpty()) {
            out.put("clients", clients);
        }
        return Json.write(out, request).withHeaders(page.headers());
    }

    private static Map<String, Object> client(ConnectionStatus c) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("connectionId", c.connectionId());
        client.put("connectedAt", Json.time(c.connectedAt()));
        client.put("address", c.peerAddress());
        return client;
    }

    /** Istio's NodeMetadata as JSON: the agent's keys, LABELS as an object. */
    private static Map<String, Object> metadata(Proxy proxy) {
        Map<String, Object> out = new TreeMap<>(proxy.metadata());
        if (!proxy.labels().isEmpty()) {
            out.put("LABELS", new TreeMap<>(proxy.labels()));
        }
        return out;
    }

    private DebugResponse configDump(DebugRequest request) {
        Optional<String> proxyId = request.param("proxyID").filter(p -> !p.isEmpty());
        if (proxyId.isEmpty()) {
            return DebugResponse.proxyIdRequired();
        }
        Optional<ConnectionStatus> found = find(proxyId.get(), request);
        if (found.isEmpty()) {
            return DebugResponse.proxyNotConnected();
        }
        Optional<String> types = request.param("types").filter(t -> !t.isEmpty());
        var dump = types.isPresent() ? ConfigDumps.ofTypes(found.get(), typeUrls(types.get()))
                : ConfigDumps.of(found.get(), request.has("include_eds"));
        return DebugResponse.json(EnvoyTypes.toJson(dump));
    }

    private Optional<ConnectionStatus> find(String proxyId, DebugRequest request) {
        return ads.status().stream()
                .filter(c -> c.connectionId().contains(proxyId))
                .filter(c -> request.callerNamespace().isEmpty() || request.callerNamespace().get().equals(c.proxy().namespace()))
                .findFirst();
    }

    private static DebugRequest withTypes(DebugRequest request, String types) {
        Map<String, String> query = new LinkedHashMap<>(request.query());
        query.put("types", types);
        return new DebugRequest(request.name(), query, request.callerNamespace());
    }

    /** Istio's short type names ({@code cds}, {@code eds}, ...) or type URLs. */
    static Set<String> typeUrls(String types) {
        Set<String> out = new TreeSet<>();
        for (String t : types.split(",")) {
            String trimmed = t.trim();
            TypeUrls.PUSH_ORDER.stream()
                    .filter(url -> url.equals(trimmed) || TypeUrls.metricType(url).equalsIgnoreCase(trimmed))
                    .forEach(out::add);
        }
        return out;
    }

    private static void put(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
