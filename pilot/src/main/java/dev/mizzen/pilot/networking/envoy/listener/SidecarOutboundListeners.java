package dev.mizzen.pilot.networking.envoy.listener;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.SidecarScope;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sidecar's outbound listeners, as Istio lays them out: {@code virtualOutbound} on 15001 takes what
 * iptables captured and hands it to the listener of its original destination; {@code 0.0.0.0_<port>} serves
 * HTTP on a port through RDS {@code "<port>"}; {@code <vip>_<port>} proxies TCP to one service. Ports of
 * unknown protocol are sniffed: HTTP goes to the routes, anything else passes through. Pure.
 */
public final class SidecarOutboundListeners {
    private static final List<String> HTTP_ALPN = List.of("http/1.0", "http/1.1", "h2c");

    private SidecarOutboundListeners() {
    }

    /** One service port to serve. */
    private record Target(Service service, ServicePort port) {
        String cluster() {
            return ClusterName.outbound(port.port(), "", service.hostname()).toString();
        }
    }

    public static List<Listener> build(Proxy proxy, PushContext push) {
        Map<Integer, List<Target>> byPort = new TreeMap<>();
        for (Service service : push.servicesFor(proxy)) {
            for (ServicePort port : service.ports()) {
                if (port.protocol() != Protocol.UDP) {
                    byPort.computeIfAbsent(port.port(), p -> new ArrayList<>()).add(new Target(service, port));
                }
            }
        }
        Map<String, Listener> out = new LinkedHashMap<>();
        out.put(EnvoyNames.VIRTUAL_OUTBOUND, virtualOutbound(push.sidecarScope(proxy)));
        byPort.forEach((port, targets) -> listenersForPort(port, targets, out));
        return List.copyOf(out.values());
    }

    private static void listenersForPort(int port, List<Target> targets, Map<String, Listener> out) {
        boolean http = targets.stream().anyMatch(t -> t.port().protocol().isHttp());
        boolean sniffed = targets.stream().anyMatch(t -> t.port().protocol() == Protocol.UNSUPPORTED);
        String wildcard = "0.0.0.0_" + port;
        if (http || sniffed) {
            Listener.Builder listener = Listeners.captured("0.0.0.0", port);
            FilterChain.Builder httpChain = FilterChain.newBuilder()
                    .addFilters(Filters.outboundHttp("outbound_0.0.0.0_" + port, Integer.toString(port)));
            if (sniffed) {
                listener.addListenerFilters(Filters.HTTP_INSPECTOR);
                httpChain.setFilterChainMatch(FilterChainMatch.newBuilder().addAllApplicationProtocols(HTTP_ALPN));
                listener.addFilterChains(httpChain);
                listener.setDefaultFilterChain(FilterChain.newBuilder().setName("PassthroughFilterChain")
                        .addFilters(Filters.tcpProxy(EnvoyNames.PASSTHROUGH_CLUSTER, EnvoyNames.PASSTHROUGH_CLUSTER)));
            } else {
                listener.addFilterChains(httpChain);
            }
            out.put(wildcard, listener.build());
        }
        List<Target> tlsWithoutVip = new ArrayList<>();
        for (Target t : targets) {
            if (!t.port().protocol().isTcp()) {
                continue;
            }
            if (!t.service().clusterIp().isEmpty()) {
                String name = t.service().clusterIp() + "_" + port;
                out.putIfAbsent(name, Listeners.captured(t.service().clusterIp(), port)
                        .addFilterChains(FilterChain.newBuilder().addFilters(Filters.tcpProxy(t.cluster(), t.cluster())))
                        .build());
            } else if (t.port().protocol() == Protocol.HTTPS || t.port().protocol() == Protocol.TLS) {
                tlsWithoutVip.add(t);
            } else if (!out.containsKey(wildcard)) {
                out.put(wildcard, Listeners.captured("0.0.0.0", port)
                        .addFilterChains(FilterChain.newBuilder().addFilters(Filters.tcpProxy(t.cluster(), t.cluster())))
                        .build());
            }
        }
        if (!tlsWithoutVip.isEmpty() && !out.containsKey(wildcard)) {
            // TLS without a VIP: the SNI picks the service
            Listener.Builder listener = Listeners.captured("0.0.0.0", port).addListenerFilters(Filters.TLS_INSPECTOR);
            for (Target t : tlsWithoutVip) {
                listener.addFilterChains(FilterChain.newBuilder()
                        .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(t.service().hostname()))
                        .addFilters(Filters.tcpProxy(t.cluster(), t.cluster())));
            }
            listener.setDefaultFilterChain(FilterChain.newBuilder().setName("PassthroughFilterChain")
                    .addFilters(Filters.tcpProxy(EnvoyNames.PASSTHROUGH_CLUSTER, EnvoyNames.PASSTHROUGH_CLUSTER)));
            out.put(wildcard, listener.build());
        }
    }

    private static Listener virtualOutbound(SidecarScope scope) {
        String cluster = scope.outboundPolicy() == SidecarScope.OutboundPolicy.REGISTRY_ONLY
                ? EnvoyNames.BLACKHOLE_CLUSTER : EnvoyNames.PASSTHROUGH_CLUSTER;
        return Listener.newBuilder()
                .setName(EnvoyNames.VIRTUAL_OUTBOUND)
                .setAddress(Listeners.address("0.0.0.0", EnvoyNames.VIRTUAL_OUTBOUND_PORT))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setUseOriginalDst(com.google.protobuf.BoolValue.of(true))
                .addFilterChains(FilterChain.newBuilder().setName("PassthroughFilterChain")
                        .addFilters(Filters.tcpProxy(cluster, cluster)))
                .build();
    }
}
