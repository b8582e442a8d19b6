package dev.mizzen.pilot.networking.envoy.gateway;

import dev.mizzen.pilot.model.GatewayIndex;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.route.RouteContext;
import dev.mizzen.pilot.networking.route.RouteTranslator;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import dev.mizzen.pilot.networking.envoy.route.RouteConfigurations;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway's HTTP routes: {@code http.<port>} for the plain HTTP servers on a port, and
 * {@code https.<port>.<portName>.<gateway>.<namespace>} for a server that terminates TLS. One virtual host
 * per host the bound VirtualServices serve there; several VirtualServices for one host are merged, oldest
 * first, as Istio does on gateways. {@code httpsRedirect} makes the host require TLS. Pure.
 */
public final class GatewayRoutes {
    private GatewayRoutes() {
    }

    private static final class Host {
        final List<Route> routes = new ArrayList<>();
        boolean requireTls;
    }

    public static Optional<RouteConfiguration> build(String name, Proxy proxy, PushContext push) {
        List<GatewayIndex.GatewayServer> servers = new ArrayList<>();
        int port;
        if (name.startsWith("http.")) {
            try {
                port = Integer.parseInt(name.substring("http.".length()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            for (var s : GatewayServers.servers(proxy, push)) {
                if (s.server().port().number() == port && !GatewayServers.terminatesTls(s.server())
                        && !GatewayServers.passesTlsThrough(s.server()) && GatewayServers.protocol(s.server()).isHttp()) {
                    servers.add(s);
                }
            }
        } else {
            var server = GatewayServers.servers(proxy, push).stream()
                    .filter(s -> GatewayServers.httpsRouteName(s).equals(name)).findFirst();
            if (server.isEmpty()) {
                return Optional.empty();
            }
            servers.add(server.get());
            port = server.get().server().port().number();
        }
        Map<String, Host> hosts = new LinkedHashMap<>();
        for (var s : servers) {
            boolean redirect = s.server().tls() != null && Boolean.TRUE.equals(s.server().tls().httpsRedirect());
            RouteContext ctx = new RouteContext(proxy, push, port, s.gatewayName(), RouteContext.Flavor.ENVOY);
            for (var binding : GatewayServers.bindings(s, push)) {
                hosts.computeIfAbsent(binding.host(), h -> new Host()).routes
                        .addAll(RouteTranslator.translate(binding.virtualService().config(), ctx));
            }
            if (redirect) {
                for (String h : s.server().hosts()) {
                    hosts.computeIfAbsent(GatewayServers.ServerHost.parse(h).host(), k -> new Host()).requireTls = true;
                }
            }
        }
        RouteConfiguration.Builder out = RouteConfigurations.istioDefaults(name);
        final int listenerPort = port;
        hosts.forEach((host, h) -> {
            VirtualHost.Builder vh = VirtualHost.newBuilder().setName(host + ":" + listenerPort)
                    .addAllDomains(host.equals("*") ? List.of("*") : List.of(host, host + ":" + listenerPort))
                    .addAllRoutes(h.routes);
            if (h.requireTls) {
                vh.setRequireTls(VirtualHost.TlsRequirementType.ALL);
            }
            out.addVirtualHosts(vh);
        });
        if (hosts.isEmpty()) {
            // nothing bound: answer 404 rather than leave the listener without routes
            out.addVirtualHosts(VirtualHost.newBuilder().setName("blackhole:" + port).addDomains("*")
                    .addRoutes(Route.newBuilder().setName("default").setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setDirectResponse(DirectResponseAction.newBuilder().setStatus(404))));
        }
        return Optional.of(out.build());
    }
}
