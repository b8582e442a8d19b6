package dev.mizzen.pilot.networking.envoyfilter;

import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where an extension's HTTP filter goes among the filters istiod generates, by phase (Istio's WasmPlugin
 * placement in pilot/pkg/networking/core/extension, which EnvoyFilter's {@code filterClass} follows): AUTHN
 * before the JWT filter, AUTHZ before RBAC (after authentication), STATS before the stats filter, and
 * anything else before the router; each before the first of its anchors that exists. Pure.
 */
public final class FilterPhases {
    static final String JWT = "envoy.filters.http.jwt_authn";
    static final String RBAC = "envoy.filters.http.rbac";
    static final String EXT_AUTHZ = "envoy.filters.http.ext_authz";
    static final String STATS = "istio.stats";
    static final String ROUTER = "envoy.filters.http.router";

    private FilterPhases() {
    }

    /** The filters with {@code filter} inserted at its phase's place (at the end when no anchor exists). */
    public static List<HttpFilter> insert(List<HttpFilter> filters, HttpFilter filter, ConfigPatch.FilterClass phase) {
        Set<String> anchors = switch (phase) {
            case AUTHN -> Set.of(JWT, EXT_AUTHZ, RBAC, STATS, ROUTER);
            case AUTHZ -> Set.of(EXT_AUTHZ, RBAC, STATS, ROUTER);
            case STATS -> Set.of(STATS, ROUTER);
            case UNSPECIFIED -> Set.of(ROUTER);
        };
        List<HttpFilter> out = new ArrayList<>(filters);
        for (int i = 0; i < out.size(); i++) {
            if (anchors.contains(out.get(i).getName())) {
                out.add(i, filter);
                return out;
            }
        }
        out.add(filter);
        return out;
    }
}
