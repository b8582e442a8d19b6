package dev.mizzen.pilot.networking.envoy.gateway;

import dev.mizzen.api.networking.RouteDestination;
import dev.mizzen.api.networking.TlsRoute;
import dev.mizzen.pilot.model.GatewayIndex;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.envoy.TlsContexts;
import dev.mizzen.pilot.networking.envoy.listener.Filters;
import dev.mizzen.pilot.networking.envoy.listener.SecurityFilters;
import dev.mizzen.pilot.networking.route.RouteContext;
import dev.mizzen.pilot.networking.route.RouteTranslator;
import dev.mizzen.pilot.security.authz.ProxyKind;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A gateway's listeners: one {@code 0.0.0.0_<port>} per port its servers listen on. Plain HTTP servers
 * share one chain routed by {@code http.<port>}; servers that terminate TLS get a chain each, matched by
 * SNI; PASSTHROUGH servers forward by SNI to the destinations of bound TLS routes; TCP servers forward
 * per the bound TCP routes. A server whose {@code credentialName} the gateway may not receive (it connected
 * without an identity, or its service account may not read Secrets) is left out. The AuthorizationPolicies and
 * RequestAuthentications that select the gateway's pods guard every chain, as Istio applies them to gateways:
 * HTTP filters before the others, network filters before tcp_proxy ({@link SecurityFilters}). Pure.
 */
public final class GatewayListeners {
    private GatewayListeners() {
    }

    public static List<Listener> build(Proxy proxy, PushContext push) {
        Map<Integer, List<GatewayIndex.GatewayServer>> byPort = new TreeMap<>();
        for (var s : GatewayServers.servers(proxy, push)) {
            byPort.computeIfAbsent(GatewayServers.listenPort(s, proxy, push), p -> new ArrayList<>()).add(s);
        }
        List<Listener> out = new ArrayList<>();
        SecurityFilters security = SecurityFilters.of(proxy, push, ProxyKind.GATEWAY);
        byPort.forEach((port, servers) -> listener(port, servers, proxy, push, security).ifPresent(out::add));
        return out;
    }

    private static java.util.Optional<Listener> listener(int port, List<GatewayIndex.GatewayServer> servers, Proxy proxy,
                                                         PushContext push, SecurityFilters security) {
        Listener.Builder listener = Listener.newBuilder()
                .setName("0.0.0.0_" + port)
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port)))
                .setTrafficDirection(TrafficDirection.OUTBOUND);
        String statPrefix = "outbound_0.0.0.0_" + port;
        boolean plainHttp = false;
        boolean inspectsTls = false;
        Set<FilterChainMatch> matches = new HashSet<>();
        for (var s : servers) {
            var server = s.server();
            if (GatewayServers.terminatesTls(server)) {
                if (!GatewayTls.credentialsReadableBy(server.tls(), proxy)) {
                    continue; // the proxy may not have the key: never name a Secret it cannot receive
                }
                FilterChainMatch match = sni(server.hosts()).setTransportProtocol("tls").build();
                if (matches.add(match)) {
                    listener.addFilterChains(FilterChain.newBuilder().setFilterChainMatch(match)
                            .setTransportSocket(TlsContexts.tls(GatewayTls.of(server.tls())))
                            .addAllFilters(GatewayServers.protocol(server).isTcp() && !GatewayServers.protocol(server).isHttp()
                                    && !"HTTPS".equalsIgnoreCase(server.port().protocol())
                                    ? security.beforeTcp(tcpFilter(s, proxy, push, statPrefix))
                                    : List.of(Filters.gatewayHttp(statPrefix,
                                            GatewayServers.httpsRouteName(s), security.http()))));
                }
                inspectsTls = true;
            } else if (GatewayServers.passesTlsThrough(server)) {
                for (var binding : GatewayServers.bindings(s, push)) {
                    RouteContext ctx = new RouteContext(proxy, push, server.port().number(), s.gatewayName(), RouteContext.Flavor.ENVOY);
                    for (TlsRoute route : binding.virtualService().config().spec().tls()) {
                        List<String> sni = route.match().stream().flatMap(m -> m.sniHosts().stream()).distinct().toList();
                        FilterChainMatch match = FilterChainMatch.newBuilder().addAllServerNames(sni).setTransportProtocol("tls").build();
                        if (!route.route().isEmpty() && matches.add(match)) {
                            listener.addFilterChains(FilterChain.newBuilder().setFilterChainMatch(match)
                                    .addAllFilters(security.beforeTcp(tcpProxy(statPrefix, route.route(),
                                            binding.virtualService().config(), ctx))));
                        }
                    }
                }
                inspectsTls = true;
            } else if (GatewayServers.protocol(server).isHttp()) {
                if (!plainHttp) {
                    listener.addFilterChains(FilterChain.newBuilder().addFilters(
                            Filters.gatewayHttp(statPrefix,
                                    GatewayServers.httpRouteName(server.port().number()), security.http())));
                    plainHttp = true;
                }
            } else if (matches.add(FilterChainMatch.getDefaultInstance())) {
                Filter tcp = tcpFilter(s, proxy, push, statPrefix);
                if (tcp != null) {
                    listener.addFilterChains(FilterChain.newBuilder().addAllFilters(security.beforeTcp(tcp)));
                }
            }
        }
        if (listener.getFilterChainsCount() == 0) {
            return java.util.Optional.empty(); // Envoy refuses a listener without filter chains
        }
        if (inspectsTls) {
            listener.addListenerFilters(Filters.TLS_INSPECTOR);
        }
        return java.util.Optional.of(listener.build());
    }

    private static FilterChainMatch.Builder sni(List<String> hosts) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
        for (String h : hosts) {
            String host = GatewayServers.ServerHost.parse(h).host();
            if (!host.equals("*")) {
                match.addServerNames(host);
            }
        }
        return match;
    }

    /** TCP at a gateway: the first bound VirtualService's TCP route for this port. */
    private static Filter tcpFilter(GatewayIndex.GatewayServer s, Proxy proxy, PushContext push, String statPrefix) {
        RouteContext ctx = new RouteContext(proxy, push, s.server().port().number(), s.gatewayName(), RouteContext.Flavor.ENVOY);
        for (var binding : GatewayServers.bindings(s, push)) {
            for (var route : binding.virtualService().config().spec().tcp()) {
                boolean portMatches = route.match().isEmpty() || route.match().stream()
                        .anyMatch(m -> m.port() == null || m.port().equals(s.server().port().number()));
                if (portMatches && !route.route().isEmpty()) {
                    return tcpProxy(statPrefix, route.route(), binding.virtualService().config(), ctx);
                }
            }
        }
        return Filters.tcpProxy(statPrefix, EnvoyNames.BLACKHOLE_CLUSTER);
    }

    private static Filter tcpProxy(String statPrefix, List<RouteDestination> destinations,
                                   dev.mizzen.api.config.Config<dev.mizzen.api.networking.VirtualService> vs, RouteContext ctx) {
        TcpProxy.Builder proxy = TcpProxy.newBuilder().setStatPrefix(statPrefix);
        if (destinations.size() == 1) {
            proxy.setCluster(RouteTranslator.cluster(destinations.get(0).destination(), vs, ctx).toString());
        } else {
            TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
            for (RouteDestination d : destinations) {
                if (d.weight() == null || d.weight() > 0) {
                    weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                            .setName(RouteTranslator.cluster(d.destination(), vs, ctx).toString())
                            .setWeight(d.weight() == null ? 1 : d.weight()));
                }
            }
            proxy.setWeightedClusters(weighted);
        }
        return Filter.newBuilder().setName(EnvoyNames.TCP_PROXY).setTypedConfig(XdsResource.pack(proxy.build())).build();
    }
}
