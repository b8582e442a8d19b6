package dev.mizzen.pilot.networking.envoyfilter;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where an extension's filter goes among the filters istiod generates, by phase, as Istio's listener builders
 * append WasmPlugins (buildHTTPConnectionManager, buildCompleteNetworkFilters), which EnvoyFilter's
 * {@code filterClass} follows too. HTTP: metadata exchange, CUSTOM authorization (ext_authz), AUTHN, jwt_authn,
 * AUTHZ, RBAC, STATS and unspecified, then fault, CORS, stats and the router. Network: metadata exchange, CUSTOM
 * (ext_authz), AUTHN, AUTHZ, RBAC, STATS and unspecified, then the stats filter and the terminal filter (TCP proxy
 * or connection manager). Each filter goes before the first of its anchors after the ones that must precede it, at
 * the end when none exists; inserting phase by phase keeps Istio's order. Pure.
 */
public final class FilterPhases {
    static final String MX = "istio.metadata_exchange";
    static final String JWT = "envoy.filters.http.jwt_authn";
    static final String EXT_AUTHZ = "envoy.filters.http.ext_authz";
    static final String RBAC = "envoy.filters.http.rbac";
    static final String FAULT = "envoy.filters.http.fault";
    static final String CORS = "envoy.filters.http.cors";
    static final String STATS = "istio.stats";
    static final String ROUTER = "envoy.filters.http.router";
    static final String NETWORK_EXT_AUTHZ = "envoy.filters.network.ext_authz";
    static final String NETWORK_RBAC = "envoy.filters.network.rbac";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    static final String HCM = "envoy.filters.network.http_connection_manager";

    private FilterPhases() {
    }

    /** The HTTP filters with {@code filter} inserted at its phase's place (at the end when no anchor exists). */
    public static List<HttpFilter> insert(List<HttpFilter> filters, HttpFilter filter, ConfigPatch.FilterClass phase) {
        List<String> names = filters.stream().map(HttpFilter::getName).toList();
        int start = Math.max(names.indexOf(MX) + 1, names.lastIndexOf(EXT_AUTHZ) + 1);
        int afterAuthn = Math.max(start, names.lastIndexOf(JWT) + 1);
        int at = switch (phase) {
            case AUTHN -> first(names, start, Set.of(JWT, RBAC, FAULT, CORS, STATS, ROUTER));
            case AUTHZ -> first(names, afterAuthn, Set.of(RBAC, FAULT, CORS, STATS, ROUTER));
            case STATS, UNSPECIFIED -> first(names, Math.max(afterAuthn, lastAt(names, afterAuthn, RBAC) + 1),
                    Set.of(FAULT, CORS, STATS, ROUTER));
        };
        return inserted(filters, filter, at);
    }

    /** The network filters of a chain with {@code filter} inserted at its phase's place. */
    public static List<Filter> insertNetwork(List<Filter> filters, Filter filter, ConfigPatch.FilterClass phase) {
        List<String> names = filters.stream().map(Filter::getName).toList();
        int start = Math.max(names.indexOf(MX) + 1, names.lastIndexOf(NETWORK_EXT_AUTHZ) + 1);
        int at = switch (phase) {
            case AUTHN, AUTHZ -> first(names, start, Set.of(NETWORK_RBAC, STATS, TCP_PROXY, HCM));
            case STATS, UNSPECIFIED -> first(names, Math.max(start, lastAt(names, start, NETWORK_RBAC) + 1),
                    Set.of(STATS, TCP_PROXY, HCM));
        };
        return inserted(filters, filter, at);
    }

    private static <F> List<F> inserted(List<F> filters, F filter, int at) {
        List<F> out = new ArrayList<>(filters);
        out.add(at, filter);
        return out;
    }

    /** The last index of {@code name} at or after {@code from}, or -1 (a CUSTOM shadow RBAC before it does not count). */
    private static int lastAt(List<String> names, int from, String name) {
        int last = names.lastIndexOf(name);
        return last >= from ? last : -1;
    }

    private static int first(List<String> names, int from, Set<String> anchors) {
        for (int i = from; i < names.size(); i++) {
            if (anchors.contains(names.get(i))) {
                return i;
            }
        }
        return names.size();
    }
}
