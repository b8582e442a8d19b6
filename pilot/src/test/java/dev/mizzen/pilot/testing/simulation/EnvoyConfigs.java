package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.List;

/** Small builders for Envoy resources in the shapes Istio generates; fixtures for the simulation tests. */
final class EnvoyConfigs {
    static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3).build();
    static final String ISTIO_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    /** Whether endpoints run a sidecar (Istio labels them tlsMode=istio for auto mTLS). */
    enum Sidecar { INJECTED, NONE }

    private EnvoyConfigs() {
    }

    static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }

    static Listener.Builder listener(String name, String ip, int port) {
        return Listener.newBuilder().setName(name).setAddress(address(ip, port));
    }

    static ListenerFilter originalDst() {
        return listenerFilter("envoy.filters.listener.original_dst", OriginalDst.getDefaultInstance());
    }

    static ListenerFilter tlsInspector() {
        return listenerFilter("envoy.filters.listener.tls_inspector", TlsInspector.getDefaultInstance());
    }

    static ListenerFilter httpInspector() {
        return listenerFilter("envoy.filters.listener.http_inspector", HttpInspector.getDefaultInstance());
    }

    private static ListenerFilter listenerFilter(String name, Message config) {
        return ListenerFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
    }

    static FilterChain chain(String name, FilterChainMatch.Builder match, Filter filter) {
        return FilterChain.newBuilder().setName(name).setFilterChainMatch(match).addFilters(filter).build();
    }

    static FilterChainMatch.Builder port(int port) {
        return FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port));
    }

    static Filter tcpProxy(String statPrefix, String cluster) {
        return Filter.newBuilder().setName("envoy.filters.network.tcp_proxy").setTypedConfig(Any.pack(
                TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build())).build();
    }

    /** Istio's outbound connection manager: RDS over ADS, the fault filter, then the router. */
    static Filter hcmRds(String statPrefix, String routeName) {
        return hcm(HttpConnectionManager.newBuilder().setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder().setRouteConfigName(routeName).setConfigSource(ADS)));
    }

    static Filter hcmInline(String statPrefix, RouteConfiguration routes) {
        return hcm(HttpConnectionManager.newBuilder().setStatPrefix(statPrefix).setRouteConfig(routes));
    }

    private static Filter hcm(HttpConnectionManager.Builder hcm) {
        hcm.addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.fault")
                        .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())));
        return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm.build())).build();
    }

    static VirtualHost.Builder vhost(String name, String... domains) {
        return VirtualHost.newBuilder().setName(name).addAllDomains(List.of(domains));
    }

    /** A route to one cluster with Istio's defaults: timeout 0s (disabled), 2 retries. */
    static Route.Builder route(String name, RouteMatch.Builder match, String cluster) {
        return Route.newBuilder().setName(name).setMatch(match).setRoute(RouteAction.newBuilder().setCluster(cluster)
                .setTimeout(Duration.getDefaultInstance()).setRetryPolicy(RetryPolicy.newBuilder()
                        .setRetryOn(ISTIO_RETRY_ON).setNumRetries(UInt32Value.of(2))));
    }

    static RouteMatch.Builder prefix(String prefix) {
        return RouteMatch.newBuilder().setPrefix(prefix);
    }

    static RouteMatch.Builder path(String path) {
        return RouteMatch.newBuilder().setPath(path);
    }

    static HeaderMatcher exactHeader(String name, String value) {
        return HeaderMatcher.newBuilder().setName(name)
                .setStringMatch(StringMatcher.newBuilder().setExact(value)).build();
    }

    static Cluster edsCluster(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                .setConnectTimeout(Duration.newBuilder().setSeconds(10))
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName(name).setEdsConfig(ADS))
                .build();
    }

    /** Istio's auto mTLS: ISTIO_MUTUAL to endpoints labelled tlsMode=istio, plaintext to the others. */
    static Cluster withAutoMtls(Cluster cluster, String sni, String san) {
        UpstreamTlsContext tls = UpstreamTlsContext.newBuilder().setSni(sni).setCommonTlsContext(
                CommonTlsContext.newBuilder().addAlpnProtocols("istio-peer-exchange").addAlpnProtocols("istio")
                        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName("default")
                                .setSdsConfig(ADS))
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext
                                .newBuilder().setDefaultValidationContext(CertificateValidationContext.newBuilder()
                                        .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                                                .setSanType(SubjectAltNameMatcher.SanType.URI)
                                                .setMatcher(StringMatcher.newBuilder().setExact(san))))
                                .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName("ROOTCA")
                                        .setSdsConfig(ADS)))).build();
        return cluster.toBuilder()
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-istio")
                        .setMatch(struct("tlsMode", "istio")).setTransportSocket(TransportSocket.newBuilder()
                                .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls))))
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-disabled")
                        .setMatch(Struct.getDefaultInstance()).setTransportSocket(TransportSocket.newBuilder()
                                .setName("envoy.transport_sockets.raw_buffer")
                                .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance()))))
                .build();
    }

    static Cluster staticCluster(String name, String ip, int port) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Duration.newBuilder().setSeconds(10))
                .setLoadAssignment(endpoints(name, List.of(ip), port, Sidecar.NONE)).build();
    }

    static Cluster passthrough(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setConnectTimeout(Duration.newBuilder().setSeconds(10))
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build();
    }

    static Cluster blackHole() {
        return Cluster.newBuilder().setName("BlackHoleCluster").setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Duration.newBuilder().setSeconds(10)).build();
    }

    /** Endpoints in zone us-east-1a; with a sidecar they carry Istio's tlsMode=istio label. */
    static ClusterLoadAssignment endpoints(String cluster, List<String> ips, int port, Sidecar sidecar) {
        LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder().setLocality(
                io.envoyproxy.envoy.config.core.v3.Locality.newBuilder().setRegion("us-east-1").setZone("us-east-1a"));
        for (String ip : ips) {
            LbEndpoint.Builder e = LbEndpoint.newBuilder().setEndpoint(
                    io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder().setAddress(address(ip, port)));
            if (sidecar == Sidecar.INJECTED) {
                e.setMetadata(Metadata.newBuilder().putFilterMetadata("envoy.transport_socket_match",
                        struct("tlsMode", "istio")));
            }
            group.addLbEndpoints(e);
        }
        return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(group).build();
    }

    static Struct struct(String key, String value) {
        return Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build()).build();
    }

    static BoolValue no() {
        return BoolValue.of(false);
    }

    static BoolValue yes() {
        return BoolValue.of(true);
    }
}
