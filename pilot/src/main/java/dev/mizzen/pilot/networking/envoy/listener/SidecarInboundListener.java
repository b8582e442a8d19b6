package dev.mizzen.pilot.networking.envoy.listener;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.MtlsMode;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.envoy.InboundPorts;
import dev.mizzen.pilot.networking.envoy.TlsContexts;
import dev.mizzen.pilot.networking.route.ProtoDurations;
import dev.mizzen.pilot.security.authz.ProxyKind;
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
 * PERMISSIVE: mTLS and plaintext, DISABLE: plaintext only); ports no service declares pass through.
 * <p>
 * The AuthorizationPolicies and RequestAuthentications that select the workload ({@link SecurityFilters}) guard
 * every chain: HTTP chains run their HTTP filters before the router, TCP chains their network filters before
 * tcp_proxy. So that a port no Service declares cannot bypass them, the passthrough chains of a workload with
 * policies are split as Istio's always are (its passthrough protocol is "auto"): HTTP, told by ALPN
 * ({@code istio-http/*} in mTLS, {@code http/1.1} and {@code h2c} from the HTTP inspector in plaintext), goes
 * through an HTTP connection manager with the HTTP filters, anything else through the network filters. A
 * workload without policies keeps the plain TCP passthrough chains. Pure.
 */
public final class SidecarInboundListener {
    private static final String TLS = "tls";
    private static final String RAW = "raw_buffer";
    /** What Istio clients offer in ALPN: TLS with these is Istio mTLS; other TLS is the app's own. */
    private static final List<String> ISTIO_ALPN = List.of("istio-peer-exchange", "istio", "istio-http/1.0",
            "istio-http/1.1", "istio-h2");
    /** Istio mTLS carrying HTTP, and carrying anything else. */
    private static final List<String> ISTIO_HTTP_ALPN = List.of("istio-http/1.0", "istio-http/1.1", "istio-h2");
    private static final List<String> ISTIO_TCP_ALPN = List.of("istio-peer-exchange", "istio");
    /** What the HTTP inspector reports for plaintext HTTP. */
    private static final List<String> PLAINTEXT_HTTP_ALPN = List.of("http/1.1", "h2c");
    private static final String PASSTHROUGH_HTTP_CHAIN = "virtualInbound-catchall-http";

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
        SecurityFilters security = SecurityFilters.of(proxy, push, ProxyKind.SIDECAR_INBOUND);
        for (InboundPorts.InboundPort port : InboundPorts.of(proxy, push)) {
            MtlsMode mode = push.mtlsMode(proxy, port.targetPort());
            String cluster = ClusterName.inbound(port.targetPort()).toString();
            List<Filter> tcp = security.beforeTcp(Filters.tcpProxy(cluster, cluster));
            List<Filter> filters = port.servicePort().protocol().isTcp() ? tcp
                    : List.of(Filters.inboundHttp("inbound_0.0.0.0_" + port.targetPort(), inboundRoutes(cluster,
                    "inbound|http|" + port.servicePort().port(), cluster,
                    port.service().hostname() + ":" + port.servicePort().port() + "/*"), security.http()));
            String name = "0.0.0.0_" + port.targetPort();
            if (mode != MtlsMode.DISABLE) {
                listener.addFilterChains(mtls(chain(name, port.targetPort(), TLS, filters), ISTIO_ALPN));
            }
            if (mode == MtlsMode.PERMISSIVE) {
                // TLS that is not Istio's belongs to the app: pass it through untouched
                listener.addFilterChains(chain(name, port.targetPort(), TLS, tcp));
            }
            if (mode != MtlsMode.STRICT) {
                listener.addFilterChains(chain(name, port.targetPort(), mode == MtlsMode.DISABLE ? null : RAW, filters));
            }
        }
        MtlsMode passthroughMode = push.mtlsMode(proxy, 0);
        if (security.isEmpty()) {
            passthrough(listener, passthroughMode);
        } else {
            guardedPassthrough(listener, passthroughMode, security);
        }
        return listener.build();
    }

    private static FilterChain.Builder chain(String name, int port, String transport, List<Filter> filters) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder().setDestinationPort(com.google.protobuf.UInt32Value.of(port));
        if (transport != null) {
            match.setTransportProtocol(transport);
        }
        return FilterChain.newBuilder().setName(name).setFilterChainMatch(match).addAllFilters(filters);
    }

    /** The chain terminates Istio mTLS offered with one of these ALPN values. */
    private static FilterChain.Builder mtls(FilterChain.Builder chain, List<String> alpn) {
        chain.getFilterChainMatchBuilder().addAllApplicationProtocols(alpn);
        return chain.setTransportSocket(TlsContexts.tls(TlsContexts.istioInbound()));
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

    /**
     * The passthrough chains of a workload with policies: as {@link #passthrough}, each split into an HTTP chain
     * (Istio's {@code virtualInbound-catchall-http}) and a TCP chain, both guarded.
     */
    private static void guardedPassthrough(Listener.Builder listener, MtlsMode mode, SecurityFilters security) {
        String cluster = EnvoyNames.INBOUND_PASSTHROUGH_CLUSTER;
        List<Filter> http = List.of(Filters.inboundHttp(cluster, inboundRoutes(cluster, "inbound|http|0", cluster, ":0/*"),
                security.http()));
        List<Filter> tcp = security.beforeTcp(Filters.tcpProxy(cluster, cluster));
        if (mode != MtlsMode.DISABLE) {
            listener.addFilterChains(mtls(passthroughChain(PASSTHROUGH_HTTP_CHAIN, TLS, http), ISTIO_HTTP_ALPN));
            listener.addFilterChains(mtls(passthroughChain("virtualInbound-catchall-tls", TLS, tcp), ISTIO_TCP_ALPN));
        }
        if (mode != MtlsMode.STRICT) {
            String transport = mode == MtlsMode.DISABLE ? null : RAW;
            FilterChain.Builder plainHttp = passthroughChain(PASSTHROUGH_HTTP_CHAIN, transport, http);
            plainHttp.getFilterChainMatchBuilder().addAllApplicationProtocols(PLAINTEXT_HTTP_ALPN);
            listener.addFilterChains(plainHttp);
            listener.addFilterChains(passthroughChain("virtualInbound-catchall", transport, tcp));
        }
    }

    private static FilterChain.Builder passthroughChain(String name, String transport, List<Filter> filters) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
        if (transport != null) {
            match.setTransportProtocol(transport);
        }
        return FilterChain.newBuilder().setName(name).setFilterChainMatch(match).addAllFilters(filters);
    }

    /** Every request to the cluster, without timeouts, as Istio's default inbound route. */
    private static RouteConfiguration inboundRoutes(String name, String virtualHost, String cluster, String operation) {
        return RouteConfiguration.newBuilder()
                .setName(name)
                .setValidateClusters(com.google.protobuf.BoolValue.of(false))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(virtualHost)
                        .addAllDomains(List.of("*"))
                        .addRoutes(Route.newBuilder()
                                .setName("default")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster(cluster)
                                        .setTimeout(ProtoDurations.millis(0))
                                        .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                                                .setMaxStreamDuration(ProtoDurations.millis(0))
                                                .setGrpcTimeoutHeaderMax(ProtoDurations.millis(0))))
                                .setDecorator(Decorator.newBuilder().setOperation(operation))))
                .build();
    }
}
