package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.TlsCredential;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How Istio's policy resources shape Envoy's config: ServiceEntries, Sidecars, PeerAuthentication, gateway TLS. */
class EnvoyPoliciesTest {
    private static PushSnapshot push(RegistrySnapshot registry, String... yamls) {
        List<Config<?>> configs = new ArrayList<>();
        int i = 0;
        for (String yaml : yamls) {
            configs.add(IstioConfigs.parse(yaml, "default", Instant.ofEpochSecond(1000 + i++)));
        }
        return PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, registry, new MemoryConfigStore(configs).snapshot()));
    }

    @Test
    void aDnsServiceEntryIsAClusterEnvoyResolvesAndItsTlsOriginationApplies() {
        List<Config<?>> configs = IstioConfigs.load("default", "istio/bookinfo/networking/egress-rule-google-apis.yaml");
        PushSnapshot push = PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
        EnvoyConfig config = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push);

        Cluster https = config.cluster("outbound|443||www.googleapis.com");
        assertThat(https.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(https.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress())
                .satisfies(a -> assertThat(a.getAddress() + ":" + a.getPortValue()).isEqualTo("www.googleapis.com:443"));
        assertThat(https.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(https.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        // the route for port 80 sends requests to port 443, where TLS is originated
        VirtualHost googleapis = config.route("80").getVirtualHostsList().stream()
                .filter(v -> v.getName().equals("www.googleapis.com:80")).findFirst().orElseThrow();
        assertThat(googleapis.getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|443||www.googleapis.com");
        // external services get no auto mTLS
        assertThat(config.cluster("outbound|80||www.googleapis.com").getTransportSocketMatchesList()).isEmpty();
    }

    @Test
    void aSidecarResourceLimitsWhatTheProxySees() {
        PushSnapshot push = push(BookinfoRegistry.snapshot(), """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default}
                spec:
                  egress:
                  - hosts: ["./reviews.default.svc.cluster.local", "istio-system/*"]
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """);
        EnvoyConfig config = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push);
        assertThat(config.names(config.clusters())).filteredOn(n -> n.startsWith("outbound"))
                .containsExactly("outbound|9080||reviews.default.svc.cluster.local");
        assertThat(config.route("9080").getVirtualHostsList()).extracting(VirtualHost::getName)
                .containsExactly("reviews.default.svc.cluster.local:9080", "block_all");
        var catchAll = config.listener("virtualOutbound").getFilterChains(0);
        assertThat(catchAll.getFilters(catchAll.getFiltersCount() - 1).getTypedConfig().toString())
                .contains("BlackHoleCluster");
    }

    @Test
    void sidecarsOfOneNamespaceShareRoutesOnlyWhereTheirSourceLabelsAndSidecarResourceAgree() {
        PushSnapshot push = push(BookinfoRegistry.snapshot(), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                  - match: [{sourceLabels: {app: reviews, version: v2}}]
                    route: [{destination: {host: details}}]
                  - route: [{destination: {host: ratings}}]
                """, """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: reviews-v3}
                spec:
                  workloadSelector: {labels: {app: reviews, version: v3}}
                  egress: [{hosts: ["./ratings.default.svc.cluster.local"]}]
                """);
        Proxy reviewsV2 = Proxies.sidecar("reviews-v2-abc", "10.1.0.5", "default", Map.of("app", "reviews", "version", "v2"));
        Proxy reviewsV3 = Proxies.sidecar("reviews-v3-abc", "10.1.0.6", "default", Map.of("app", "reviews", "version", "v3"));
        // one push, so one cache: each proxy must still get the routes its own labels call for
        Map<String, String> firstClusterOfRatings = new java.util.LinkedHashMap<>();
        for (Proxy proxy : List.of(EnvoyGeneratorTest.PRODUCTPAGE, reviewsV2, reviewsV3)) {
            VirtualHost ratings = EnvoyConfig.of(proxy, push).route("9080").getVirtualHostsList().stream()
                    .filter(v -> v.getName().startsWith("ratings.")).findFirst().orElseThrow();
            firstClusterOfRatings.put(proxy.labels().getOrDefault("version", "") + "/" + proxy.labels().get("app"),
                    ratings.getRoutes(0).getRoute().getCluster());
        }
        assertThat(firstClusterOfRatings).containsExactly(
                Map.entry("v1/productpage", "outbound|9080||ratings.default.svc.cluster.local"),
                Map.entry("v2/reviews", "outbound|9080||details.default.svc.cluster.local"),
                Map.entry("v3/reviews", "outbound|9080||ratings.default.svc.cluster.local"));
        assertThat(EnvoyConfig.of(reviewsV3, push).route("9080").getVirtualHostsList()).extracting(VirtualHost::getName)
                .containsExactly("ratings.default.svc.cluster.local:9080", "allow_any");
        assertThat(EnvoyConfig.of(reviewsV2, push).route("9080").getVirtualHostsCount()).isEqualTo(5);
    }

    @Test
    void peerAuthenticationDecidesWhatTheInboundListenerAccepts() {
        PushSnapshot strict = push(BookinfoRegistry.snapshot(), """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: default}
                spec: {mtls: {mode: STRICT}}
                """);
        assertThat(portChains(strict)).extracting(c -> c.getFilterChainMatch().getTransportProtocol()).containsExactly("tls");

        PushSnapshot disabledForProductpage = push(BookinfoRegistry.snapshot(), """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: default}
                spec: {mtls: {mode: STRICT}}
                """, """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: productpage, namespace: default}
                spec:
                  selector: {matchLabels: {app: productpage}}
                  portLevelMtls: {"9080": {mode: DISABLE}}
                """);
        assertThat(portChains(disabledForProductpage)).singleElement()
                .satisfies(c -> assertThat(c.hasTransportSocket()).isFalse());
    }

    private static List<FilterChain> portChains(PushSnapshot push) {
        Listener inbound = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push).listener("virtualInbound");
        return inbound.getFilterChainsList().stream()
                .filter(c -> c.getFilterChainMatch().getDestinationPort().getValue() == 9080).toList();
    }

    @Test
    void aGatewayTerminatesTlsWithACredentialIstiodServesOverSds() throws Exception {
        TlsCredential credential = new TlsCredential("istio-system", "bookinfo-credential",
                "CERT".getBytes(StandardCharsets.UTF_8), "KEY".getBytes(StandardCharsets.UTF_8), "CA".getBytes(StandardCharsets.UTF_8));
        RegistrySnapshot registry = BookinfoRegistry.snapshot();
        registry = new RegistrySnapshot(registry.services(), registry.endpoints(),
                Map.of("istio-system/bookinfo-credential", credential));
        PushSnapshot push = push(registry, """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bookinfo-gateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["bookinfo.example.com"]
                    tls: {mode: MUTUAL, credentialName: bookinfo-credential}
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["bookinfo.example.com"]
                    tls: {httpsRedirect: true}
                """, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bookinfo}
                spec:
                  hosts: ["bookinfo.example.com"]
                  gateways: ["istio-system/bookinfo-gateway"]
                  http:
                  - route: [{destination: {host: productpage, port: {number: 9080}}}]
                """);
        EnvoyConfig config = EnvoyConfig.of(EnvoyGeneratorTest.GATEWAY, push);
        FilterChain tls = config.listener("0.0.0.0_443").getFilterChains(0);
        assertThat(tls.getFilterChainMatch().getServerNamesList()).containsExactly("bookinfo.example.com");
        DownstreamTlsContext context = tls.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        assertThat(context.getRequireClientCertificate().getValue()).isTrue();
        assertThat(context.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("kubernetes://bookinfo-credential");
        assertThat(config.route("https.443.https.bookinfo-gateway.istio-system").getVirtualHosts(0).getRoutes(0)
                .getRoute().getCluster()).isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
        assertThat(config.route("http.80").getVirtualHosts(0).getRequireTls()).isEqualTo(VirtualHost.TlsRequirementType.ALL);

        var secrets = new EnvoyGenerator().generate(EnvoyGeneratorTest.GATEWAY, push, TypeUrls.SECRET,
                Set.of("kubernetes://bookinfo-credential", "kubernetes://bookinfo-credential-cacert", "kubernetes://other"));
        assertThat(secrets).extracting(r -> r.name())
                .containsExactly("kubernetes://bookinfo-credential", "kubernetes://bookinfo-credential-cacert");
        assertThat(secrets.get(0).body().unpack(Secret.class).getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8())
                .isEqualTo("KEY");
    }

    @Test
    void theOldestOfTwoVirtualServicesForOneHostWinsOnSidecarsAndBothMergeOnAGateway() {
        String older = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: older}
                spec:
                  hosts: [reviews]
                  gateways: [mesh, bookinfo-gateway]
                  http:
                  - match: [{uri: {prefix: /old}}]
                    route: [{destination: {host: reviews}}]
                """;
        String newer = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: newer}
                spec:
                  hosts: [reviews]
                  gateways: [mesh, bookinfo-gateway]
                  http:
                  - match: [{uri: {prefix: /new}}]
                    route: [{destination: {host: reviews}}]
                """;
        String gateway = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bookinfo-gateway}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 8080, name: http, protocol: HTTP}
                    hosts: ["*"]
                """;
        PushSnapshot push = push(BookinfoRegistry.snapshot(), older, newer, gateway);
        VirtualHost sidecar = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push).route("9080").getVirtualHostsList().stream()
                .filter(v -> v.getName().startsWith("reviews")).findFirst().orElseThrow();
        assertThat(sidecar.getRoutesList()).extracting(r -> r.getMatch().getPrefix()).containsExactly("/old");
        VirtualHost atGateway = EnvoyConfig.of(EnvoyGeneratorTest.GATEWAY, push).route("http.8080").getVirtualHosts(0);
        assertThat(atGateway.getRoutesList()).extracting(r -> r.getMatch().getPrefix()).containsExactly("/old", "/new");
    }

    @Test
    void aGatewayWhoseSelectorMatchesNoProxyGivesThatProxyNothing() {
        PushSnapshot push = push(BookinfoRegistry.snapshot(), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: elsewhere}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 8080, name: http, protocol: HTTP}
                    hosts: ["*"]
                """);
        EnvoyConfig config = EnvoyConfig.of(EnvoyGeneratorTest.GATEWAY, push);
        assertThat(config.listeners()).isEmpty();
        assertThat(config.names(config.clusters())).contains("outbound|9080||reviews.default.svc.cluster.local");
    }

    @Test
    void istioMutualClustersVerifyTheServersIdentity() throws Exception {
        List<Config<?>> configs = IstioConfigs.load("default", "istio/bookinfo/networking/destination-rule-all-mtls.yaml");
        PushSnapshot push = PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
        Cluster v2 = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push).cluster("outbound|9080|v2|reviews.default.svc.cluster.local");
        UpstreamTlsContext tls = v2.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("outbound_.9080_.v2_.reviews.default.svc.cluster.local");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchTypedSubjectAltNames(0).getMatcher().getExact())
                .isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-reviews");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
    }
}
