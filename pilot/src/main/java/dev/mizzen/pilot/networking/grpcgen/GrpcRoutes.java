package dev.mizzen.pilot.networking.grpcgen;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.VirtualServiceIndex;
import dev.mizzen.pilot.networking.route.RouteContext;
import dev.mizzen.pilot.networking.route.RouteTranslator;
import dev.mizzen.pilot.networking.route.VirtualHostDomains;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.List;
import java.util.Optional;

/**
 * RDS for proxyless gRPC: route config {@code outbound|<port>||<fqdn>} with one virtual host for the service,
 * routed by the oldest VirtualService that claims the host, else straight to the service. Pure.
 */
final class GrpcRoutes {
    private GrpcRoutes() {
    }

    static Optional<XdsResource> build(String name, Proxy proxy, PushContext push) {
        Optional<ClusterName> parsed = ClusterName.parse(name);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ClusterName cluster = parsed.get();
        Optional<Service> service = push.service(cluster.hostname()).filter(s -> s.visibleTo(proxy.namespace()));
        if (service.isEmpty() || service.get().port(cluster.port()).isEmpty()) {
            return Optional.empty();
        }
        RouteContext ctx = new RouteContext(proxy, push, cluster.port(), VirtualServiceIndex.MESH_GATEWAY,
                RouteContext.Flavor.GRPC);
        List<VirtualServiceIndex.Entry> virtualServices = push.virtualServices()
                .forHost(cluster.hostname(), VirtualServiceIndex.MESH_GATEWAY, proxy.namespace());
        List<Route> routes = virtualServices.isEmpty() ? List.of()
                : RouteTranslator.translate(virtualServices.get(0).config(), ctx);
        if (routes.isEmpty()) {
            routes = List.of(RouteTranslator.defaultRoute(cluster.withoutSubset(), ctx));
        }
        VirtualHost host = VirtualHost.newBuilder()
                .setName(cluster.hostname() + ":" + cluster.port())
                .addAllDomains(VirtualHostDomains.of(service.get(), cluster.port(), proxy.namespace(), push.mesh().domainSuffix()))
                .addAllRoutes(routes)
                .build();
        return Optional.of(XdsResource.of(name, RouteConfiguration.newBuilder().setName(name).addVirtualHosts(host).build()));
    }
}
