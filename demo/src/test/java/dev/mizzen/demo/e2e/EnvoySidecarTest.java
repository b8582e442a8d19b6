package dev.mizzen.demo.e2e;

import dev.mizzen.demo.testing.FakeEnvoy;
import dev.mizzen.demo.testing.MeshFixture;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Envoy sidecars and a gateway over the network, as Istio's agent connects them: their config follows the
 * Bookinfo samples and endpoint changes, next to proxyless clients on the same push.
 */
class EnvoySidecarTest {
    @Test
    void sidecarsAndGatewaysGetBookinfoConfigAndFollowChanges() throws Exception {
        try (MeshFixture mesh = MeshFixture.start();
             FakeEnvoy productpage = FakeEnvoy.connect(mesh.istiod(), "sidecar", "127.0.0.10", "productpage-v1",
                     "default", "bookinfo-productpage", Map.of("app", "productpage", "version", "v1"));
             FakeEnvoy gateway = FakeEnvoy.connect(mesh.istiod(), "router", "127.0.0.30", "istio-ingressgateway-1",
                     "istio-system", "istio-ingressgateway-service-account", Map.of("istio", "ingressgateway"))) {
            mesh.applySample("destination-rule-all");
            mesh.applySample("virtual-service-reviews-jason-v2-v3");
            mesh.applySample("bookinfo-gateway");
            mesh.awaitInSync();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(productpage.resources(Listener.class)).extracting(Listener::getName)
                        .contains("virtualOutbound", "virtualInbound", "0.0.0.0_9080");
                RouteConfiguration routes = productpage.resources(RouteConfiguration.class).stream()
                        .filter(r -> r.getName().equals("9080")).findFirst().orElseThrow();
                var reviews = routes.getVirtualHostsList().stream()
                        .filter(v -> v.getName().equals("reviews.default.svc.cluster.local:9080")).findFirst().orElseThrow();
                assertThat(reviews.getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|9080|v2|reviews.default.svc.cluster.local");
                assertThat(gateway.resources(Listener.class)).extracting(Listener::getName).containsExactly("0.0.0.0_8080");
                assertThat(gateway.resources(RouteConfiguration.class)).extracting(RouteConfiguration::getName).contains("http.8080");
            });
            // the endpoint change reaches the sidecar's EDS
            mesh.kube().resource(mesh.bookinfo().endpointSlice("reviews", w -> !w.version().equals("v3")))
                    .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(productpage.resources(ClusterLoadAssignment.class))
                    .filteredOn(c -> c.getClusterName().equals("outbound|9080|v3|reviews.default.svc.cluster.local"))
                    .singleElement().satisfies(c -> assertThat(c.getEndpointsList()).isEmpty()));
            mesh.awaitInSync();
        }
    }
}
