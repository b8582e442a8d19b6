package dev.mizzen.pilot.networking.envoy.route;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.SidecarScope;
import dev.mizzen.pilot.model.VirtualServiceIndex;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.route.ProtoDurations;
import dev.mizzen.pilot.networking.route.RouteContext;
import dev.mizzen.pilot.networking.route.RouteTranslator;
import dev.mizzen.pilot.networking.route.VirtualHostDomains;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A sidecar's HTTP routes for one port, RDS named by the port ({@code "9080"}): a virtual host
 * {@code <host>:<port>} per service on that port in the proxy's scope, routed by the oldest VirtualService
 * that claims the host, else straight to the service; then {@code allow_any} for everything else
 * (or {@code block_all} under REGISTRY_ONLY). Pure.
 */
public final class SidecarRoutes {
    private SidecarRoutes() {
    }

    public static Optional<RouteConfiguration> build(String name, Proxy proxy, PushContext push) {
        int port;
        try {
            port = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        RouteContext ctx = new RouteContext(proxy, push, port, VirtualServiceIndex.MESH_GATEWAY, RouteContext.Flavor.ENVOY);
        SidecarScope scope = push.sidecarScope(proxy);
        List<VirtualHost> hosts = new ArrayList<>();
        Set<String> usedDomains = new HashSet<>();
        for (Service service : push.servicesFor(proxy)) {
            var servicePort = service.port(port);
            if (servicePort.isEmpty() || !(servicePort.get().protocol().isHttp()
                    || servicePort.get().protocol() == Protocol.UNSUPPORTED)) {
                continue;
            }
            List<String> domains = new ArrayList<>();
            for (String d : VirtualHostDomains.of(service, port, proxy.namespace(), push.mesh().domainSuffix())) {
                if (usedDomains.add(d)) {
                    domains.add(d); // Envoy refuses a domain in two virtual hosts of one route config
                }
            }
            hosts.add(VirtualHost.newBuilder()
                    .setName(service.hostname() + ":" + port)
                    .addAllDomains(domains)
                    .addAllRoutes(routes(service, ctx, scope))
                    .build());
        }
        hosts.add(catchAll(scope));
        return Optional.of(RouteConfigurations.istioDefaults(name).addAllVirtualHosts(hosts).build());
    }

    private static List<Route> routes(Service service, RouteContext ctx, SidecarScope scope) {
        String namespace = ctx.proxy().namespace();
        Decorator decorator = Decorator.newBuilder().setOperation(service.hostname() + ":" + ctx.port() + "/*").build();
        // the oldest VirtualService in scope that claims the host decides, as in Istio
        var claiming = ctx.push().virtualServices().forHost(service.hostname(), VirtualServiceIndex.MESH_GATEWAY, namespace)
                .stream().filter(vs -> scope.includesHost(vs.config().namespace(), service.hostname(), namespace)).findFirst();
        if (claiming.isPresent()) {
            List<Route> routes = RouteTranslator.translate(claiming.get().config(), ctx);
            if (!routes.isEmpty()) {
                return routes.stream().map(r -> r.toBuilder().setDecorator(decorator).build()).toList();
            }
        }
        Route route = RouteTranslator.defaultRoute(ClusterName.outbound(ctx.port(), "", service.hostname()), ctx);
        return List.of(route.toBuilder().setDecorator(decorator).build());
    }

    /** Requests for hosts the mesh does not know: passed through, or refused under REGISTRY_ONLY. */
    private static VirtualHost catchAll(SidecarScope scope) {
        Route.Builder route = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"));
        if (scope.outboundPolicy() == SidecarScope.OutboundPolicy.REGISTRY_ONLY) {
            return VirtualHost.newBuilder().setName("block_all").addDomains("*")
                    .addRoutes(route.setName("block_all").setDirectResponse(DirectResponseAction.newBuilder().setStatus(502)))
                    .build();
        }
        return VirtualHost.newBuilder().setName("allow_any").addDomains("*")
                .addRoutes(route.setName("allow_any").setRoute(RouteAction.newBuilder()
                        .setCluster(EnvoyNames.PASSTHROUGH_CLUSTER).setTimeout(ProtoDurations.millis(0))))
                .build();
    }
}
