package dev.mizzen.pilot.networking.envoyfilter;

import dev.mizzen.api.networking.EnvoyFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.List;

/**
 * ROUTE_CONFIGURATION, VIRTUAL_HOST and HTTP_ROUTE patches (Istio's rc_patch.go): a route configuration is
 * only merged; virtual hosts are merged, replaced, removed and added; routes are merged, removed, added and
 * inserted. A sidecar's route configuration matches by the port its name is ({@code "9080"},
 * {@code inbound|9080||}) and its name; a gateway's by the port, port name and gateway its name carries
 * ({@code http.8080}, {@code https.443.https.gw.ns}). Pure.
 */
public final class RoutePatcher {
    private RoutePatcher() {
    }

    public static RouteConfiguration apply(ProxyPatches patches, RouteConfiguration rc, PatchContext context, PatchLog log) {
        if (!patches.touches(ConfigPatch.ApplyTo.ROUTE_CONFIGURATION, ConfigPatch.ApplyTo.VIRTUAL_HOST,
                ConfigPatch.ApplyTo.HTTP_ROUTE)) {
            return rc;
        }
        RouteConfiguration current = rc;
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.ROUTE_CONFIGURATION)) {
            if (cp.operation().merges() && cp.appliesIn(context) && routeConfigurationMatch(context, current, cp)) {
                current = ProtoMerge.merge(current, cp.value(RouteConfiguration.class), ClusterPatcher.lists(cp));
                log.applied(cp);
            }
        }
        List<VirtualHost> hosts = new ArrayList<>();
        for (VirtualHost host : current.getVirtualHostsList()) {
            VirtualHost patched = patchVirtualHost(patches, context, current, host, log);
            if (patched != null) {
                hosts.add(patched);
            }
        }
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.VIRTUAL_HOST)) {
            if (cp.operation() == ConfigPatch.Operation.ADD && cp.appliesIn(context)
                    && routeConfigurationMatch(context, current, cp)) {
                hosts.add(cp.value(VirtualHost.class));
                log.applied(cp);
            }
        }
        return current.toBuilder().clearVirtualHosts().addAllVirtualHosts(hosts).build();
    }

    private static VirtualHost patchVirtualHost(ProxyPatches patches, PatchContext context, RouteConfiguration rc,
                                                VirtualHost host, PatchLog log) {
        VirtualHost current = host;
        for (ConfigPatch cp : patches.get(ConfigPatch.ApplyTo.VIRTUAL_HOST)) {
            if (!cp.appliesIn(context) || !routeConfigurationMatch(context, rc, cp) || !virtualHostMatch(current, cp)) {
                continue;
            }
            switch (cp.operation()) {
                case REMOVE -> {
                    log.applied(cp);
                    return null;
                }
                case MERGE, MERGE_AND_REPLACE_LIST -> {
                    current = ProtoMerge.merge(current, cp.value(VirtualHost.class), ClusterPatcher.lists(cp));
                    log.applied(cp);
                }
                case REPLACE -> {
                    current = cp.value(VirtualHost.class);
                    log.applied(cp);
                }
                default -> {
                }
            }
        }
        return patchRoutes(patches, context, rc, current, log);
    }

    private static VirtualHost patchRoutes(ProxyPatches patches, PatchContext context, RouteConfiguration rc,
                                           VirtualHost host, PatchLog log) {
        List<ConfigPatch> cps = patches.get(ConfigPatch.ApplyTo.HTTP_ROUTE);
        if (cps.isEmpty()) {
            return host;
        }
        List<Route> routes = new ArrayList<>();
        for (Route route : host.getRoutesList()) {
            Route current = route;
            for (ConfigPatch cp : cps) {
                if (current == null || !cp.appliesIn(context) || !routeConfigurationMatch(context, rc, cp)
                        || !virtualHostMatch(host, cp) || !routeMatch(current, cp)) {
                    continue;
                }
                if (cp.operation() == ConfigPatch.Operation.REMOVE) {
                    current = null;
                    log.applied(cp);
                } else if (cp.operation().merges()) {
                    current = ProtoMerge.merge(current, cp.value(Route.class), ClusterPatcher.lists(cp));
                    log.applied(cp);
                }
            }
            if (current != null) {
                routes.add(current);
            }
        }
        for (ConfigPatch cp : cps) {
            if (!cp.appliesIn(context) || !routeConfigurationMatch(context, rc, cp) || !virtualHostMatch(host, cp)) {
                continue;
            }
            Route value = cp.value() == null ? null : cp.value(Route.class);
            List<Route> after = switch (cp.operation()) {
                case ADD -> ListPatches.apply(ConfigPatch.Operation.ADD, routes, value, false, r -> false);
                case INSERT_AFTER, INSERT_BEFORE -> ListPatches.apply(cp.operation(), routes, value, hasRouteMatch(cp),
                        r -> routeMatch(r, cp));
                // INSERT_FIRST goes first, but only when the route it names exists
                case INSERT_FIRST -> !hasRouteMatch(cp) || routes.stream().anyMatch(r -> routeMatch(r, cp))
                        ? ListPatches.apply(ConfigPatch.Operation.INSERT_FIRST, routes, value, false, r -> false) : routes;
                default -> routes;
            };
            if (after != routes) {
                routes = after;
                log.applied(cp);
            }
        }
        return host.toBuilder().clearRoutes().addAllRoutes(routes).build();
    }

    /** Istio's routeConfigurationMatch. */
    static boolean routeConfigurationMatch(PatchContext context, RouteConfiguration rc, ConfigPatch cp) {
        EnvoyFilter.RouteConfigurationMatch match = cp.match().routeConfiguration();
        if (match == null) {
            return true;
        }
        String name = rc.getName();
        if (context != PatchContext.GATEWAY) {
            int port = name.startsWith("inbound|") ? SubsetKey.parse(name).port() : parseInt(name);
            if (match.portNumber() != null && match.portNumber() != 0 && match.portNumber() != port) {
                return false;
            }
            return !present(match.name()) || match.name().equals(name);
        }
        String[] parts = name.split("\\.");
        int port = 0;
        String portName = "";
        String gateway = "";
        if (name.startsWith("http.") && parts.length >= 2) {
            port = parseInt(parts[1]);
        } else if (name.startsWith("https.") && parts.length >= 5) {
            port = parseInt(parts[1]);
            portName = parts[2];
            gateway = parts[4] + "/" + parts[3];
        }
        if (match.portNumber() != null && match.portNumber() != 0 && match.portNumber() != port) {
            return false;
        }
        if (present(match.portName()) && !match.portName().equals(portName)) {
            return false;
        }
        if (present(match.gateway()) && !match.gateway().equals(gateway)) {
            return false;
        }
        return !present(match.name()) || match.name().equals(name);
    }

    /** By name, and (newer Istio) by one of its domains. */
    static boolean virtualHostMatch(VirtualHost host, ConfigPatch cp) {
        EnvoyFilter.RouteConfigurationMatch match = cp.match().routeConfiguration();
        if (match == null || match.vhost() == null) {
            return true;
        }
        if (present(match.vhost().name()) && !match.vhost().name().equals(host.getName())) {
            return false;
        }
        return !present(match.vhost().domainName()) || host.getDomainsList().contains(match.vhost().domainName());
    }

    private static boolean hasRouteMatch(ConfigPatch cp) {
        EnvoyFilter.RouteConfigurationMatch match = cp.match().routeConfiguration();
        return match != null && match.vhost() != null && match.vhost().route() != null;
    }

    static boolean routeMatch(Route route, ConfigPatch cp) {
        if (!hasRouteMatch(cp)) {
            return true;
        }
        EnvoyFilter.RouteMatch match = cp.match().routeConfiguration().vhost().route();
        if (present(match.name()) && !match.name().equals(route.getName())) {
            return false;
        }
        String action = match.action() == null ? "ANY" : match.action();
        return switch (action) {
            case "ROUTE" -> route.hasRoute();
            case "REDIRECT" -> route.hasRedirect();
            case "DIRECT_RESPONSE" -> route.hasDirectResponse();
            default -> true;
        };
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
