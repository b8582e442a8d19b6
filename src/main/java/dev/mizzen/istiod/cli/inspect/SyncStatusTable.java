package dev.mizzen.istiod.cli.inspect;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * istioctl's {@code proxy-status} tables from istiod's {@code /debug/syncz}, one row per proxy sorted by id: the
 * current istioctl's {@code NAME CLUSTER ISTIOD VERSION SUBSCRIBED TYPES} ({@code 4 (CDS,LDS,EDS,RDS)}), or with
 * per-type sync state, the older istioctl's {@code NAME CLUSTER CDS LDS EDS RDS ECDS ISTIOD VERSION}, each xDS
 * column read from the nonces istiod sent and the proxy acknowledged, as istioctl's {@code xdsStatus} reads them.
 * Pure.
 */
final class SyncStatusTable {
    static final String ECDS_TYPE = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";
    /** istioctl's short type names, in the order it lists subscribed types. */
    private static final Map<String, String> SHORT_NAMES = shortNames();

    private SyncStatusTable() {
    }

    private static Map<String, String> shortNames() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("type.googleapis.com/envoy.config.cluster.v3.Cluster", "CDS");
        out.put("type.googleapis.com/envoy.config.listener.v3.Listener", "LDS");
        out.put("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "EDS");
        out.put("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "RDS");
        out.put("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "SDS");
        out.put(ECDS_TYPE, "ECDS");
        out.put("type.googleapis.com/istio.networking.nds.v1.NameTable", "NDS");
        return Collections.unmodifiableMap(out);
    }

    /** The current istioctl's table: which types each proxy subscribed to. */
    static String renderSubscriptions(JsonNode syncz, String istiod, String proxy) {
        TextTable table = TextTable.withHeader(5, "NAME", "CLUSTER", "ISTIOD", "VERSION", "SUBSCRIBED TYPES");
        for (JsonNode s : sorted(syncz)) {
            String id = text(s, "proxy");
            if (!proxy.isEmpty() && !id.contains(proxy)) {
                continue;
            }
            List<String> types = new ArrayList<>();
            SHORT_NAMES.forEach((url, name) -> {
                if (s.path("resources").has(url)) {
                    types.add(name);
                }
            });
            s.path("resources").propertyNames().forEach(url -> {
                if (!SHORT_NAMES.containsKey(url)) {
                    types.add(url.substring(url.lastIndexOf('.') + 1));
                }
            });
            String version = text(s, "istio_version");
            table.row(id, text(s, "cluster_id"), istiod, version.isEmpty() ? "*" : version,
                    types.size() + " (" + String.join(",", types) + ")");
        }
        return table.render();
    }

    private static List<JsonNode> sorted(JsonNode syncz) {
        List<JsonNode> statuses = new ArrayList<>();
        syncz.forEach(statuses::add);
        statuses.sort(Comparator.comparing(s -> text(s, "proxy")));
        return statuses;
    }

    /**
     * @param syncz  the JSON array of Istio's {@code SyncStatus}
     * @param istiod what the ISTIOD column says (istioctl prints the istiod pod; we print the address asked)
     * @param proxy  only proxies whose id contains this, when not empty (istioctl's {@code proxy-status PROXY})
     */
    static String renderSyncState(JsonNode syncz, String istiod, String proxy) {
        List<JsonNode> statuses = sorted(syncz);
        TextTable table = TextTable.withHeader(5, "NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS", "ISTIOD", "VERSION");
        for (JsonNode s : statuses) {
            String id = text(s, "proxy");
            if (!proxy.isEmpty() && !id.contains(proxy)) {
                continue;
            }
            JsonNode ecds = s.path("resources").path(ECDS_TYPE);
            String version = text(s, "istio_version");
            table.row(id, text(s, "cluster_id"),
                    status(text(s, "cluster_sent"), text(s, "cluster_acked")),
                    status(text(s, "listener_sent"), text(s, "listener_acked")),
                    status(text(s, "endpoint_sent"), text(s, "endpoint_acked")),
                    status(text(s, "route_sent"), text(s, "route_acked")),
                    status(text(ecds, "sent"), text(ecds, "acked")),
                    istiod,
                    // istioctl falls back to the proxy's own version, starred; istiod has none to give
                    version.isEmpty() ? "*" : version);
        }
        return table.render();
    }

    /** istioctl's reading of one type's nonces. */
    static String status(String sent, String acked) {
        if (sent.isEmpty()) {
            return "NOT SENT";
        }
        if (sent.equals(acked)) {
            return "SYNCED";
        }
        if (acked.isEmpty()) {
            return "STALE (Never Acknowledged)";
        }
        return "STALE";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }
}
