package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;

import java.util.List;

import static dev.mizzen.pilot.testing.simulation.EnvoyConfigs.*;

/**
 * Hand-built xDS of the ingress gateway (pod 10.1.0.7) as istiod gives it for Bookinfo's
 * bookinfo-gateway.yaml (port 80 -> target 8080, hosts "*"), plus an httpsRedirect host on port 80 and a
 * 443 server (target 8443) with SIMPLE TLS for bookinfo.example.com and PASSTHROUGH for *.passthrough.example.com.
 */
final class GatewayFixture {
    static final String GATEWAY_IP = "10.1.0.7";
    static final String PRODUCTPAGE = "outbound|9080||productpage.default.svc.cluster.local";
    static final String SECURE = "outbound|443||secure.default.svc.cluster.local";

    private GatewayFixture() {
    }

    static List<Message> resources() {
        return List.of(http8080(), https8443(), routesHttp8080(), routesHttps443(),
                edsCluster(PRODUCTPAGE), edsCluster(SECURE),
                endpoints(PRODUCTPAGE, List.of("10.1.0.10"), 9080, Sidecar.INJECTED),
                endpoints(SECURE, List.of("10.1.0.60"), 8443, Sidecar.NONE));
    }

    static Listener http8080() {
        return listener("0.0.0.0_8080", "0.0.0.0", 8080)
                .addFilterChains(FilterChain.newBuilder().addFilters(hcmRds("outbound_0.0.0.0_8080", "http.8080")))
                .build();
    }

    static Listener https8443() {
        DownstreamTlsContext simple = DownstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                .addAlpnProtocols("h2").addAlpnProtocols("http/1.1")
                .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
                        .setName("kubernetes://bookinfo-credential").setSdsConfig(ADS))).build();
        FilterChain terminate = chain("bookinfo.example.com",
                FilterChainMatch.newBuilder().addServerNames("bookinfo.example.com"),
                hcmRds("outbound_0.0.0.0_8443", "https.443.https.bookinfo-gateway.default")).toBuilder()
                .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(simple))).build();
        FilterChain passthrough = chain("passthrough", FilterChainMatch.newBuilder()
                .addServerNames("*.passthrough.example.com"), tcpProxy(SECURE, SECURE));
        return listener("0.0.0.0_8443", "0.0.0.0", 8443).addListenerFilters(tlsInspector())
                .addFilterChains(terminate).addFilterChains(passthrough).build();
    }

    /** bookinfo-gateway's VirtualService on hosts "*", and an httpsRedirect server for secure.example.com. */
    static RouteConfiguration routesHttp8080() {
        VirtualHost.Builder bookinfo = vhost("*:80", "*");
        bookinfo.addRoutes(route("productpage-exact", path("/productpage"), PRODUCTPAGE));
        bookinfo.addRoutes(route("static", prefix("/static"), PRODUCTPAGE));
        bookinfo.addRoutes(route("login", path("/login"), PRODUCTPAGE));
        bookinfo.addRoutes(route("logout", path("/logout"), PRODUCTPAGE));
        bookinfo.addRoutes(route("api", prefix("/api/v1/products"), PRODUCTPAGE));
        return RouteConfiguration.newBuilder().setName("http.8080")
                .addVirtualHosts(bookinfo)
                .addVirtualHosts(vhost("secure.example.com:80", "secure.example.com", "secure.example.com:*")
                        .setRequireTls(VirtualHost.TlsRequirementType.ALL)
                        .addRoutes(route("secure", prefix("/"), PRODUCTPAGE)))
                .build();
    }

    static RouteConfiguration routesHttps443() {
        return RouteConfiguration.newBuilder().setName("https.443.https.bookinfo-gateway.default")
                .addVirtualHosts(vhost("bookinfo.example.com:443", "bookinfo.example.com", "bookinfo.example.com:*")
                        .addRoutes(route("productpage", prefix("/"), PRODUCTPAGE)))
                .build();
    }
}
