package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

import java.util.ArrayList;
import java.util.List;

import static dev.mizzen.pilot.testing.simulation.EnvoyConfigs.*;

/**
 * Hand-built xDS of productpage's sidecar (pod 10.1.0.10, namespace default) in the shape istiod gives it:
 * virtualOutbound with use_original_dst, HTTP listener 0.0.0.0_9080 with RDS "9080", a TCP listener
 * 10.96.0.5_3306 for mysqldb, virtualInbound with mTLS and plaintext chains for port 9080, EDS clusters
 * with auto mTLS. Routes as Bookinfo's samples would make them: reviews v2 for end-user jason, else v1;
 * ratings split 50/50 with a fault for jason; details by default.
 */
final class SidecarFixture {
    static final String POD_IP = "10.1.0.10";
    static final String REVIEWS_VIP = "10.96.0.20";
    static final String MYSQL_VIP = "10.96.0.5";
    static final String REVIEWS_V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
    static final String REVIEWS_V2 = "outbound|9080|v2|reviews.default.svc.cluster.local";
    static final String RATINGS_V1 = "outbound|9080|v1|ratings.default.svc.cluster.local";
    static final String RATINGS_V2 = "outbound|9080|v2|ratings.default.svc.cluster.local";
    static final String DETAILS = "outbound|9080||details.default.svc.cluster.local";
    static final String MYSQL = "outbound|3306||mysqldb.default.svc.cluster.local";
    static final String INBOUND = "inbound|9080||";

    private SidecarFixture() {
    }

    static List<Message> resources() {
        List<Message> out = new ArrayList<>();
        out.addAll(List.of(virtualOutbound(), http9080(), mysql(), virtualInbound(), routes9080()));
        out.addAll(clusters());
        out.add(endpoints(REVIEWS_V1, List.of("10.1.0.21"), 9080, Sidecar.INJECTED));
        out.add(endpoints(REVIEWS_V2, List.of("10.1.0.22"), 9080, Sidecar.INJECTED));
        out.add(endpoints(RATINGS_V1, List.of("10.1.0.31"), 9080, Sidecar.INJECTED));
        out.add(endpoints(RATINGS_V2, List.of("10.1.0.32"), 9080, Sidecar.INJECTED));
        out.add(endpoints(DETAILS, List.of("10.1.0.41", "10.1.0.42"), 9080, Sidecar.INJECTED));
        out.add(endpoints(MYSQL, List.of("10.1.0.51"), 3306, Sidecar.NONE));
        return out;
    }

    static Listener virtualOutbound() {
        return listener("virtualOutbound", "0.0.0.0", 15001).setUseOriginalDst(yes())
                .addFilterChains(chain("virtualOutbound-blackhole", port(15001),
                        tcpProxy("BlackHoleCluster", "BlackHoleCluster")))
                .addFilterChains(chain("virtualOutbound-catchall-tcp", FilterChainMatch.newBuilder(),
                        tcpProxy("PassthroughCluster", "PassthroughCluster")))
                .build();
    }

    static Listener http9080() {
        return listener("0.0.0.0_9080", "0.0.0.0", 9080).setBindToPort(no())
                .addFilterChains(FilterChain.newBuilder().addFilters(hcmRds("outbound_0.0.0.0_9080", "9080")))
                .build();
    }

    static Listener mysql() {
        return listener(MYSQL_VIP + "_3306", MYSQL_VIP, 3306).setBindToPort(no())
                .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxy(MYSQL, MYSQL)))
                .build();
    }

    /** Port 9080 of the pod: mTLS (Istio's ALPN) and plaintext chains, as PeerAuthentication PERMISSIVE makes. */
    static Listener virtualInbound() {
        RouteConfiguration inboundRoutes = RouteConfiguration.newBuilder().setName(INBOUND)
                .addVirtualHosts(vhost("inbound|http|9080", "*").addRoutes(route("default", prefix("/"), INBOUND)))
                .build();
        DownstreamTlsContext mtls = DownstreamTlsContext.newBuilder().setRequireClientCertificate(yes())
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName("default")
                                .setSdsConfig(ADS))
                        .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName("ROOTCA")
                                .setSdsConfig(ADS)))
                .build();
        FilterChain mtlsChain = chain("0.0.0.0_9080", port(9080).setTransportProtocol("tls")
                        .addAllApplicationProtocols(List.of("istio-http/1.0", "istio-http/1.1", "istio-h2")),
                hcmInline("inbound_0.0.0.0_9080", inboundRoutes)).toBuilder()
                .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(mtls))).build();
        FilterChain plainChain = chain("0.0.0.0_9080-plaintext", port(9080).setTransportProtocol("raw_buffer")
                        .addAllApplicationProtocols(List.of("http/1.1", "h2c")),
                hcmInline("inbound_0.0.0.0_9080", inboundRoutes));
        return listener("virtualInbound", "0.0.0.0", 15006)
                .addListenerFilters(originalDst()).addListenerFilters(tlsInspector())
                .addListenerFilters(httpInspector())
                .addFilterChains(chain("virtualInbound-blackhole", port(15006),
                        tcpProxy("BlackHoleCluster", "BlackHoleCluster")))
                .addFilterChains(mtlsChain).addFilterChains(plainChain)
                .addFilterChains(chain("virtualInbound", FilterChainMatch.newBuilder().addPrefixRanges(
                                CidrRange.newBuilder().setAddressPrefix("0.0.0.0").setPrefixLen(UInt32Value.of(0))),
                        tcpProxy("InboundPassthroughClusterIpv4", "InboundPassthroughClusterIpv4")))
                .build();
    }

    static RouteConfiguration routes9080() {
        HTTPFault jasonFault = HTTPFault.newBuilder()
                .setDelay(FaultDelay.newBuilder().setFixedDelay(Duration.newBuilder().setSeconds(7))
                        .setPercentage(FractionalPercent.newBuilder().setNumerator(100)))
                .setAbort(FaultAbort.newBuilder().setHttpStatus(500).setPercentage(FractionalPercent.newBuilder()
                        .setNumerator(1).setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND)))
                .build();
        Route ratingsJason = route("ratings-jason", prefix("/").addHeaders(exactHeader("end-user", "jason")),
                RATINGS_V1).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(jasonFault)).build();
        Route ratingsSplit = route("ratings-split", prefix("/"), RATINGS_V1).setRoute(RouteAction.newBuilder()
                .setWeightedClusters(WeightedCluster.newBuilder()
                        .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(RATINGS_V1)
                                .setWeight(UInt32Value.of(50)))
                        .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(RATINGS_V2)
                                .setWeight(UInt32Value.of(50))))
                .setTimeout(Duration.getDefaultInstance())).build();
        return RouteConfiguration.newBuilder().setName("9080")
                .addVirtualHosts(vhost("reviews.default.svc.cluster.local:9080", serviceDomains("reviews", REVIEWS_VIP))
                        .addRoutes(route("jason", prefix("/").addHeaders(exactHeader("end-user", "jason")), REVIEWS_V2))
                        .addRoutes(route("default", prefix("/"), REVIEWS_V1)))
                .addVirtualHosts(vhost("ratings.default.svc.cluster.local:9080", serviceDomains("ratings", "10.96.0.30"))
                        .addRoutes(ratingsJason).addRoutes(ratingsSplit))
                .addVirtualHosts(vhost("details.default.svc.cluster.local:9080", serviceDomains("details", "10.96.0.40"))
                        .addRoutes(route("default", prefix("/"), DETAILS)))
                .addVirtualHosts(vhost("allow_any", "*").addRoutes(Route.newBuilder().setName("allow_any")
                        .setMatch(prefix("/")).setRoute(RouteAction.newBuilder().setCluster("PassthroughCluster")
                                .setTimeout(Duration.getDefaultInstance()))))
                .build();
    }

    /** The domains Istio lists for a service in its own namespace: short, namespaced, FQDN, VIP, each with port. */
    static String[] serviceDomains(String name, String vip) {
        List<String> out = new ArrayList<>();
        for (String host : List.of(name + ".default.svc.cluster.local", name, name + ".default.svc",
                name + ".default", vip)) {
            out.add(host);
            out.add(host + ":9080");
        }
        return out.toArray(String[]::new);
    }

    static List<Message> clusters() {
        List<Message> out = new ArrayList<>();
        for (String name : List.of(REVIEWS_V1, REVIEWS_V2, RATINGS_V1, RATINGS_V2, DETAILS)) {
            String service = name.substring(name.lastIndexOf('|') + 1);
            String sni = name.replace("|", "_.");
            out.add(withAutoMtls(edsCluster(name), sni,
                    "spiffe://cluster.local/ns/default/sa/bookinfo-" + service.substring(0, service.indexOf('.'))));
        }
        out.add(edsCluster(MYSQL));
        out.add(staticCluster(INBOUND, POD_IP, 9080));
        out.add(blackHole());
        out.add(passthrough("PassthroughCluster"));
        out.add(passthrough("InboundPassthroughClusterIpv4"));
        return out;
    }
}
