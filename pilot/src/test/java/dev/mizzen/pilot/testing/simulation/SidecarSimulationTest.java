package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Message;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.mizzen.pilot.testing.simulation.SidecarFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests through productpage's sidecar ({@link SidecarFixture}), as Istio's simulation tests ask them. */
class SidecarSimulationTest {
    private final Simulation sidecar = Simulation.of(SidecarFixture.resources());

    private static Request reviews() {
        return Request.http(REVIEWS_VIP, 9080).withAuthority("reviews:9080");
    }

    @Test
    void fixtureIsValidEnvoyConfig() {
        PgvValidator.forEnvoy().validateAll(SidecarFixture.resources()).assertValid();
        assertEquals(List.of(), sidecar.configErrors());
    }

    @Test
    void jasonGoesToReviewsV2() {
        Result r = sidecar.call(reviews().withHeader("end-user", "jason"));
        assertEquals("listener 0.0.0.0_9080 (via virtualOutbound) > route 9080 > vhost "
                + "reviews.default.svc.cluster.local:9080 > route jason > cluster " + REVIEWS_V2
                + " (timeout 0s, retries 2 on " + EnvoyConfigs.ISTIO_RETRY_ON + ")", r.toString());
        assertEquals(REVIEWS_V2, r.cluster(), r.describe());
        ClusterInfo info = r.clusterInfo();
        assertEquals("EDS", info.type());
        assertEquals("ROUND_ROBIN", info.lbPolicy());
        assertEquals("[10.1.0.22:9080 (tlsMode-istio)]", info.endpoints().toString());
        TransportSocketInfo mtls = info.transports().get(0);
        assertEquals("outbound_.9080_.v2_.reviews.default.svc.cluster.local", mtls.sni());
        assertEquals(List.of("spiffe://cluster.local/ns/default/sa/bookinfo-reviews"), mtls.sans());
        assertEquals(List.of("default", "ROOTCA"), mtls.secrets());
    }

    @Test
    void everyoneElseGoesToReviewsV1() {
        Result r = sidecar.call(reviews().withHeader("end-user", "mary"));
        assertEquals(REVIEWS_V1, r.cluster(), r.describe());
        assertEquals("default", r.route());
        assertEquals("0s", r.timeout());
        assertEquals(2, r.retry().numRetries());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reviews", "reviews:9080", "reviews.default", "reviews.default.svc:9080",
            "reviews.default.svc.cluster.local:9080", "REVIEWS.default.svc.cluster.local", "10.96.0.20:9080"})
    void everyNameIstioListsReachesTheReviewsVirtualHost(String host) {
        Result r = sidecar.call(reviews().withAuthority(host));
        assertEquals("reviews.default.svc.cluster.local:9080", r.virtualHost(), r.describe());
    }

    @Test
    void unknownHostFallsToAllowAny() {
        Result r = sidecar.call(Request.http("10.96.0.99", 9080).withAuthority("unknown:9080"));
        assertEquals("allow_any", r.virtualHost(), r.describe());
        assertEquals("PassthroughCluster", r.cluster());
        assertEquals("ORIGINAL_DST", r.clusterInfo().type());
        assertEquals("CLUSTER_PROVIDED", r.clusterInfo().lbPolicy());
    }

    @Test
    void ratingsIsSplitAndJasonGetsTheFault() {
        Request ratings = Request.http("10.96.0.30", 9080).withAuthority("ratings:9080");
        Result split = sidecar.call(ratings);
        assertEquals(Map.of(RATINGS_V1, 50, RATINGS_V2, 50), split.clusters(), split.describe());
        assertNull(split.fault());
        assertNull(split.cluster());
        Result jason = sidecar.call(ratings.withHeader("end-user", "jason"));
        assertEquals(RATINGS_V1, jason.cluster(), jason.describe());
        assertEquals(new FaultInfo("7s", 100.0, 500, 0.01), jason.fault());
        assertTrue(jason.toString().contains("fault delay 7s for 100.0%, abort 500 for 0.01%"), jason::toString);
    }

    @Test
    void tcpToMysqlVip() {
        Result r = sidecar.call(Request.tcp(MYSQL_VIP, 3306));
        assertEquals("listener 10.96.0.5_3306 (via virtualOutbound) > cluster " + MYSQL, r.toString());
        assertEquals("[10.1.0.51:3306]", r.clusterInfo().endpoints().toString());
        assertEquals(List.of("default: plaintext"), r.clusterInfo().transports().stream().map(Object::toString).toList());
    }

    @Test
    void unknownDestinationsPassThroughOnVirtualOutbound() {
        Result r = sidecar.call(Request.tcp("93.184.216.34", 443));
        assertEquals("listener virtualOutbound > chain virtualOutbound-catchall-tcp > cluster PassthroughCluster",
                r.toString());
    }

    @Test
    void connectionsToTheCapturePortItselfAreBlackholed() {
        Result r = sidecar.call(Request.tcp(POD_IP, 15001));
        assertEquals("BlackHoleCluster", r.cluster(), r.describe());
        assertEquals("virtualOutbound-blackhole", r.listener().filterChain());
    }

    @Test
    void rawTcpIntoAnHttpListenerIsNotHttp() {
        Result r = sidecar.call(Request.tcp(REVIEWS_VIP, 9080));
        assertEquals(Failure.Kind.NOT_HTTP, r.failureKind(), r::toString);
        assertEquals("0.0.0.0_9080", r.listenerName());
    }

    @Test
    void inboundMutualTlsAndPlaintextChains() {
        Request inbound = Request.http(POD_IP, 9080).withMode(CallMode.INBOUND).withAuthority("productpage:9080");
        Result mtls = sidecar.call(inbound.withTls(TlsMode.MTLS));
        assertEquals("listener virtualInbound > chain 0.0.0.0_9080 > route inbound|9080|| > vhost inbound|http|9080"
                + " > route default > cluster inbound|9080|| (timeout 0s, retries 2 on " + EnvoyConfigs.ISTIO_RETRY_ON
                + ")", mtls.toString());
        assertEquals("[10.1.0.10:9080]", mtls.clusterInfo().endpoints().toString());
        Result plain = sidecar.call(inbound);
        assertEquals("0.0.0.0_9080-plaintext", plain.listener().filterChain(), plain::toString);
        assertEquals(INBOUND, plain.cluster());
    }

    @Test
    void inboundTlsWithoutClientCertificateFailsTheHandshake() {
        Result r = sidecar.call(Request.http(POD_IP, 9080).withMode(CallMode.INBOUND).withTls(TlsMode.TLS)
                .withAlpn("istio-http/1.1"));
        assertEquals(Failure.Kind.TLS_MISMATCH, r.failureKind(), r::toString);
    }

    @Test
    void inboundToAnotherPortPassesThrough() {
        Result r = sidecar.call(Request.tcp(POD_IP, 7777).withMode(CallMode.INBOUND));
        assertEquals("listener virtualInbound > chain virtualInbound > cluster InboundPassthroughClusterIpv4",
                r.toString());
    }

    @Test
    void missingClusterIs503NoCluster() {
        List<Message> withoutV2 = SidecarFixture.resources().stream()
                .filter(m -> !(m instanceof Cluster c && c.getName().equals(REVIEWS_V2))).toList();
        Result r = Simulation.of(withoutV2).call(reviews().withHeader("end-user", "jason"));
        assertEquals(Failure.Kind.CLUSTER_NOT_FOUND, r.failureKind(), r::toString);
        assertEquals("503 NC", r.failure().kind().clientSees());
        assertTrue(r.toString().contains("[" + REVIEWS_V2 + " not found]"), r::toString);
    }

    @Test
    void missingRouteConfigurationStopsAtTheListener() {
        List<Message> withoutRds = SidecarFixture.resources().stream()
                .filter(m -> !(m instanceof RouteConfiguration)).toList();
        Result r = Simulation.of(withoutRds).call(reviews());
        assertEquals(Failure.Kind.NO_ROUTE_CONFIG, r.failureKind(), r::toString);
    }

    @Test
    void noMatchingRouteIs404() {
        RouteConfiguration onlyV1Path = routes9080().toBuilder().setVirtualHosts(0, routes9080().getVirtualHosts(0)
                .toBuilder().clearRoutes().addRoutes(EnvoyConfigs.route("reviews-path", EnvoyConfigs.path("/reviews/0"),
                        REVIEWS_V1))).build();
        List<Message> resources = SidecarFixture.resources().stream()
                .map(m -> m instanceof RouteConfiguration ? onlyV1Path : m).toList();
        Simulation sim = Simulation.of(resources);
        assertEquals(REVIEWS_V1, sim.call(reviews().withPath("/reviews/0?x=1")).cluster());
        Result r = sim.call(reviews().withPath("/reviews/1"));
        assertEquals(Failure.Kind.NO_ROUTE, r.failureKind(), r::toString);
        assertEquals("reviews.default.svc.cluster.local:9080", r.virtualHost());
    }

    @Test
    void duplicateDomainsAreConfigErrors() {
        RouteConfiguration twice = routes9080().toBuilder().addVirtualHosts(EnvoyConfigs.vhost("again", "reviews:9080"))
                .build();
        List<Message> resources = SidecarFixture.resources().stream()
                .map(m -> m instanceof RouteConfiguration ? twice : m).toList();
        assertEquals(List.of("route 9080: domain reviews:9080 in reviews.default.svc.cluster.local:9080 and again"),
                Simulation.of(resources).configErrors());
    }
}
