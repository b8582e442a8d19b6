package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.List;

/**
 * An HTTP connection manager handling one request: its route configuration (RDS by name, or inline),
 * the virtual host for the Host header, the first route that matches, and what that route does.
 * Progress is recorded in {@link Trace} so a failure still shows how far the request got.
 */
final class HttpRouter {
    private static final String ROUTER = "envoy.filters.http.router";
    private static final String FAULT = "envoy.filters.http.fault";

    private HttpRouter() {
    }

    static void route(HttpConnectionManager hcm, XdsConfig config, Connection connection, Request request,
                      Trace trace) {
        List<HttpFilter> filters = hcm.getHttpFiltersList();
        if (filters.isEmpty() || !isRouter(filters.get(filters.size() - 1))) {
            throw new SimulationStop(Failure.Kind.CONFIG_REJECTED,
                    "the HTTP connection manager's last filter is not the router");
        }
        RouteConfiguration routes = routeConfiguration(hcm, config);
        trace.http = HttpRoute.partial(routes.getName(), null);
        String authority = request.authority();
        if (hcm.getStripAnyHostPort()
                || hcm.getStripMatchingHostPort() && authority.endsWith(":" + connection.localPort())) {
            authority = VirtualHostSelector.stripPort(authority);
        }
        String host = authority;
        VirtualHost vhost = VirtualHostSelector.select(routes, host).orElseThrow(() -> new SimulationStop(
                Failure.Kind.NO_VIRTUAL_HOST, "no virtual host in " + routes.getName() + " for host " + host));
        trace.http = HttpRoute.partial(routes.getName(), vhost.getName());
        if (requiresTls(vhost, request)) {
            trace.http = new HttpRoute(routes.getName(), vhost.getName(), "(require_tls)", null, null, null, null,
                    List.of(), "");
            trace.target = new RouteTarget.Redirect(301, "https://" + VirtualHostSelector.stripPort(host)
                    + request.path());
            return;
        }
        Route route = null;
        int index = 0;
        for (Route candidate : vhost.getRoutesList()) {
            if (RouteMatcher.matches(candidate.getMatch(), request)) {
                route = candidate;
                break;
            }
            index++;
        }
        if (route == null) {
            throw new SimulationStop(Failure.Kind.NO_ROUTE, "no route of " + vhost.getName() + " matches "
                    + request.method() + " " + request.path() + (request.headers().isEmpty() ? "" : " " + request.headers()));
        }
        String routeName = route.getName().isEmpty() ? "#" + index : route.getName();
        trace.http = new HttpRoute(routes.getName(), vhost.getName(), routeName, null, null, null, null, List.of(), "");
        RouteTarget target = RouteActions.target(route, request);
        trace.http = new HttpRoute(routes.getName(), vhost.getName(), routeName, target,
                RouteActions.timeout(route), RouteActions.retry(route, vhost),
                RouteActions.fault(faultFilterName(filters), route, vhost, routes), RouteActions.mirrors(route),
                RouteActions.rewrite(route));
        trace.target = target;
    }

    /** require_tls ALL redirects every plaintext request; EXTERNAL_ONLY those without x-envoy-internal. */
    private static boolean requiresTls(VirtualHost vhost, Request request) {
        boolean plaintext = request.tls() == TlsMode.PLAINTEXT;
        return switch (vhost.getRequireTls()) {
            case ALL -> plaintext;
            case EXTERNAL_ONLY -> plaintext && !"true".equals(request.header("x-envoy-internal"));
            default -> false;
        };
    }

    private static RouteConfiguration routeConfiguration(HttpConnectionManager hcm, XdsConfig config) {
        return switch (hcm.getRouteSpecifierCase()) {
            case RDS -> config.route(hcm.getRds().getRouteConfigName()).orElseThrow(() -> new SimulationStop(
                    Failure.Kind.NO_ROUTE_CONFIG, "RDS " + hcm.getRds().getRouteConfigName() + " not in the config"));
            case ROUTE_CONFIG -> hcm.getRouteConfig();
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "route specifier "
                    + hcm.getRouteSpecifierCase());
        };
    }

    /** The fault filter's name in the chain: the key its per-route configs use. Null when absent. */
    private static String faultFilterName(List<HttpFilter> filters) {
        return filters.stream()
                .filter(f -> TypedConfigs.is(f.getName(), f.getTypedConfig(), FAULT, HTTPFault.class))
                .map(HttpFilter::getName).findFirst().orElse(null);
    }

    private static boolean isRouter(HttpFilter f) {
        return TypedConfigs.is(f.getName(), f.getTypedConfig(), ROUTER, Router.class);
    }
}
