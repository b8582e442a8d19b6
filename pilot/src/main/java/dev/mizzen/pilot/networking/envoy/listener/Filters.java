package dev.mizzen.pilot.networking.envoy.listener;

import com.google.protobuf.BoolValue;
import dev.mizzen.pilot.networking.envoy.ConfigSources;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.List;

/** The network and listener filters of Istio's Envoy listeners. Pure. */
public final class Filters {
    private static final HttpFilter CORS = HttpFilter.newBuilder().setName(EnvoyNames.CORS)
            .setTypedConfig(XdsResource.pack(Cors.getDefaultInstance())).build();
    private static final HttpFilter FAULT = HttpFilter.newBuilder().setName(EnvoyNames.FAULT)
            .setTypedConfig(XdsResource.pack(HTTPFault.getDefaultInstance())).build();
    private static final HttpFilter ROUTER = HttpFilter.newBuilder().setName(EnvoyNames.ROUTER)
            .setTypedConfig(XdsResource.pack(Router.getDefaultInstance())).build();

    static final ListenerFilter ORIGINAL_DST = ListenerFilter.newBuilder().setName(EnvoyNames.ORIGINAL_DST)
            .setTypedConfig(XdsResource.pack(OriginalDst.getDefaultInstance())).build();
    public static final ListenerFilter TLS_INSPECTOR = ListenerFilter.newBuilder().setName(EnvoyNames.TLS_INSPECTOR)
            .setTypedConfig(XdsResource.pack(TlsInspector.getDefaultInstance())).build();
    static final ListenerFilter HTTP_INSPECTOR = ListenerFilter.newBuilder().setName(EnvoyNames.HTTP_INSPECTOR)
            .setTypedConfig(XdsResource.pack(HttpInspector.getDefaultInstance())).build();

    private Filters() {
    }

    /** HTTP to services: routes from RDS, with the filters VirtualServices need (CORS, faults) before the router. */
    static Filter outboundHttp(String statPrefix, String routeName) {
        return hcm(HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder().setConfigSource(ConfigSources.ads()).setRouteConfigName(routeName))
                .addAllHttpFilters(List.of(CORS, FAULT, ROUTER))
                .setUseRemoteAddress(BoolValue.of(false))
                .setNormalizePath(BoolValue.of(true))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .build());
    }

    /**
     * HTTP at a gateway: the client's address is the real remote address. The gateway's security filters
     * ({@link SecurityFilters#http}) come first.
     */
    public static Filter gatewayHttp(String statPrefix, String routeName, List<HttpFilter> security) {
        return hcm(HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder().setConfigSource(ConfigSources.ads()).setRouteConfigName(routeName))
                .addAllHttpFilters(security)
                .addAllHttpFilters(List.of(CORS, FAULT, ROUTER))
                .setUseRemoteAddress(BoolValue.of(true))
                .setNormalizePath(BoolValue.of(true))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .build());
    }

    /**
     * HTTP into the workload: an inline route to its inbound cluster; the peer's identity is forwarded. The
     * workload's security filters ({@link SecurityFilters#http}) run before the router.
     */
    static Filter inboundHttp(String statPrefix, RouteConfiguration routes, List<HttpFilter> security) {
        return hcm(HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRouteConfig(routes)
                .addAllHttpFilters(security)
                .addHttpFilters(ROUTER)
                .setUseRemoteAddress(BoolValue.of(false))
                .setNormalizePath(BoolValue.of(true))
                .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD)
                .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                        .setSubject(BoolValue.of(true)).setDns(true).setUri(true))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .build());
    }

    public static Filter tcpProxy(String statPrefix, String cluster) {
        return Filter.newBuilder().setName(EnvoyNames.TCP_PROXY)
                .setTypedConfig(XdsResource.pack(TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build()))
                .build();
    }

    private static Filter hcm(HttpConnectionManager hcm) {
        return Filter.newBuilder().setName(EnvoyNames.HTTP_CONNECTION_MANAGER).setTypedConfig(XdsResource.pack(hcm)).build();
    }
}
