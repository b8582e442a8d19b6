package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.testing.XdsJson;
import dev.mizzen.pilot.xds.PushSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Envoy config of Bookinfo's productpage sidecar and of an ingress gateway, in Istio's shape and names. */
class EnvoyGeneratorTest {
    private static final String NETWORKING = "istio/bookinfo/networking/";
    static final Proxy PRODUCTPAGE = Proxies.sidecar("productpage-v1-abc", "10.1.0.1", "default",
            Map.of("app", "productpage", "version", "v1", "security.istio.io/tlsMode", "istio"));
    static final Proxy GATEWAY = Proxies.gateway("istio-system", Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"));

    static PushSnapshot push(String... samples) {
        List<String> resources = new ArrayList<>();
        for (String s : samples) {
            resources.add(NETWORKING + s + ".yaml");
        }
        List<Config<?>> configs = IstioConfigs.load("default", resources.toArray(String[]::new));
        return PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"destination-rule-all", "virtual-service-all-v1", "virtual-service-reviews-jason-v2-v3",
            "virtual-service-ratings-test-delay", "destination-rule-all-mtls"})
    void productpageSidecarMatchesItsGoldenFile(String sample) {
        PushSnapshot push = sample.startsWith("destination-rule") ? push(sample) : push("destination-rule-all", sample);
        XdsJson.assertGolden("envoy/sidecar-" + sample + ".golden.json", EnvoyConfig.of(PRODUCTPAGE, push).json());
    }

    @Test
    void sidecarWithoutConfigHasIstiosListenersAndClusters() {
        EnvoyConfig config = EnvoyConfig.of(PRODUCTPAGE, push());
        XdsJson.assertGolden("envoy/sidecar-defaults.golden.json", config.json());
        assertThat(config.names(config.listeners())).containsExactly("0.0.0.0_9080", "virtualInbound", "virtualOutbound");
        assertThat(config.names(config.clusters())).contains("BlackHoleCluster", "PassthroughCluster",
                "InboundPassthroughCluster", "inbound|9080||", "outbound|9080||reviews.default.svc.cluster.local");
        Listener outbound = config.listener("virtualOutbound");
        assertThat(outbound.getAddress().getSocketAddress().getPortValue()).isEqualTo(15001);
        assertThat(outbound.getUseOriginalDst().getValue()).isTrue();
        assertThat(config.listener("virtualInbound").getAddress().getSocketAddress().getPortValue()).isEqualTo(15006);
        RouteConfiguration routes = config.route("9080");
        assertThat(routes.getVirtualHostsList()).extracting(VirtualHost::getName).containsExactly(
                "details.default.svc.cluster.local:9080", "productpage.default.svc.cluster.local:9080",
                "ratings.default.svc.cluster.local:9080", "reviews.default.svc.cluster.local:9080", "allow_any");
        assertThat(routes.getVirtualHosts(3).getDomainsList()).contains("reviews", "reviews:9080",
                "reviews.default.svc.cluster.local", "reviews.default", "10.96.0.12:9080");
        Cluster reviews = config.cluster("outbound|9080||reviews.default.svc.cluster.local");
        assertThat(reviews.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(reviews.getTransportSocketMatchesList()).extracting(Cluster.TransportSocketMatch::getName)
                .containsExactly("tlsMode-istio", "tlsMode-disabled");
    }

    @Test
    void permissiveInboundAcceptsMtlsAndPlaintextOnTheServedPort() {
        Listener inbound = EnvoyConfig.of(PRODUCTPAGE, push()).listener("virtualInbound");
        assertThat(inbound.getFilterChainsList()).filteredOn(c -> c.getFilterChainMatch().getDestinationPort().getValue() == 9080)
                .extracting(c -> c.getFilterChainMatch().getTransportProtocol() + " " + c.getFilterChainMatch().getApplicationProtocolsList())
                .containsExactly("tls [istio-peer-exchange, istio, istio-http/1.0, istio-http/1.1, istio-h2]", "tls []", "raw_buffer []");
    }

    @Test
    void bookinfoGatewayRoutesItsPathsToProductpage() {
        EnvoyConfig config = EnvoyConfig.of(GATEWAY, push("bookinfo-gateway"));
        XdsJson.assertGolden("envoy/gateway-bookinfo.golden.json", config.json());
        assertThat(config.names(config.listeners())).containsExactly("0.0.0.0_8080");
        RouteConfiguration routes = config.route("http.8080");
        assertThat(routes.getVirtualHostsList()).singleElement().satisfies(vh -> {
            assertThat(vh.getDomainsList()).containsExactly("*");
            assertThat(vh.getRoutesList()).hasSize(5).allSatisfy(r ->
                    assertThat(r.getRoute().getCluster()).isEqualTo("outbound|9080||productpage.default.svc.cluster.local"));
        });
    }
}
