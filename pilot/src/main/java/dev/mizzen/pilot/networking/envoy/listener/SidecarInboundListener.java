package dev.mizzen.pilot.networking.envoy.listener;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.MtlsMode;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.envoy.InboundPorts;
import dev.mizzen.pilot.networking.envoy.TlsContexts;
import dev.mizzen.pilot.networking.route.ProtoDurations;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.List;

/**
 * {@code virtualInbound} on 15006: every connection iptables redirected to the workload. One filter chain
 * per served port and transport: PeerAuthentication's mode decides which exist (STRICT: mTLS only,
 * PERMISSIVE: mTLS and plaintext, DISABLE: plaintext only); ports no service declares pass through. Pure.
 */
public final class SidecarInboundListener {
    private static final String TLS = "tls";
    private static final String RAW = "raw_buffer";
    /** What Istio clients offer in ALPN: TLS with these is Istio mTLS; other TLS is the app's own. */
    private static final List<String> ISTIO_ALPN = List.of("istio-peer-exchange", "istio", "istio-http/1.0",
            "istio-http/1.1", "istio-h2");

    private SidecarInboundListener() {
    }

    public static Listener build(Proxy proxy, PushContext push) {
        Listener.Builder listener = Listener.newBuilder()
                .setName(EnvoyNames.VIRTUAL_INBOUND)
                .setAddress(Listeners.address("0.0.0.0", EnvoyNames.VIRTUAL_INBOUND_PORT))
                .setTrafficDirection(TrafficDirection.INBOUND)
                .addListenerFilters(Filters.ORIGINAL_DST)
                .addListenerFilters(Filters.TLS_INSPECTOR)
                .addListenerFilters(Filters.HTTP_INSPECTOR)
                .setContinueOnListenerFiltersTimeout(true)
                .setListenerFiltersTimeout(ProtoDurations.millis(0));
        for (InboundPorts.InboundPort port : InboundPorts.of(proxy, push)) {
            MtlsMode mode = push.mtlsMode(proxy, port.targetPort());
            String cluster = ClusterName.inbound(port.targetPort()).toString();
            Filter filter = port.servicePort().protocol().isTcp()
                    ? Filters.tcpProxy(cluster, cluster)
                    : Filters.inboundHttp("inbound_0.0.0.0_" + port.targetPort(), inboundRoutes(port, cluster));
            String name = "0.0.0.0_" + port.targetPort();
            if (mode != MtlsMode.DISABLE) {
                FilterChain.Builder mtls = chain(name, port.targetPort(), TLS, filter)
                        .setTransportSocket(TlsContexts.tls(TlsContexts.istioInbound()));
                mtls.getFilterChainMatchBuilder().addAllApplicationProtocols(ISTIO_ALPN);
                listener.addFilterChains(mtls);
            }
            if (mode == MtlsMode.PERMISSIVE) {
                // TLS that is not Istio's belongs to the app: pass it through untouched
                listener.addFilterChains(chain(name, port.targetPort(), TLS, Filters.tcpProxy(cluster, cluster)));
            }
            if (mode != MtlsMode.STRICT) {
                listener.addFilterChains(chain(name, port.targetPort(), mode == MtlsMode.DISABLE ? null : RAW, filter));
            }
        }
        passthrough(listener, push.mtlsMode(proxy, 0));
        return listener.build();
    }

    private static FilterChain.Builder chain(String name, int port, String transport, Filter filter) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder().setDestinationPort(com.google.protobuf.UInt32Value.of(port));
        if (transport != null) {
            match.setTransportProtocol(transport);
        }
        return FilterChain.newBuilder().setName(name).setFilterChainMatch(match).addFilters(filter);
    }

    /** Ports no service declares go to the app as they came, under the workload's (or namespace's) mode. */
    private static void passthrough(Listener.Builder listener, MtlsMode mode) {
        Filter filter = Filters.tcpProxy(EnvoyNames.INBOUND_PASSTHROUGH_CLUSTER, EnvoyNames.INBOUND_PASSTHROUGH_CLUSTER);
        if (mode != MtlsMode.DISABLE) {
            listener.addFilterChains(FilterChain.newBuilder().setName("virtualInbound-catchall-tls")
                    .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol(TLS).addAllApplicationProtocols(ISTIO_ALPN))
                    .setTransportSocket(TlsContexts.tls(TlsContexts.istioInbound()))
                    .addFilters(filter));
        }
        if (mode != MtlsMode.STRICT) {
            listener.addFilterChains(FilterChain.newBuilder().setName("virtualInbound-catchall")
                    .setFilterChainMatch(mode == MtlsMode.DISABLE ? FilterChainMatch.getDefaultInstance()
                            : FilterChainMatch.newBuilder().setTransportProtocol(RAW).build())
                    .addFilters(filter));
        }
    }

    private static RouteConfiguration inboundRoutes(InboundPorts.InboundPort port, String cluster) {
        return RouteConfiguration.newBuilder()
                .setName(cluster)
                .setValidateClusters(com.google.protobuf.BoolValue.of(false))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("inbound|http|" + port.servicePort().port())
                        .addAllDomains(List.of("*"))
                        .addRoutes(Route.newBuilder()
                                .setName("default")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster(cluster)
                                        .setTimeout(ProtoDurations.millis(0))
                                        .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                                                .setMaxStreamDuration(ProtoDurations.millis(0))
                                                .setGrpcTimeoutHeaderMax(ProtoDurations.millis(0))))
                                .setDecorator(Decorator.newBuilder().setOperation(
                                        port.service().hostname() + ":" + port.servicePort().port() + "/*"))))
                .build();
    }
}
