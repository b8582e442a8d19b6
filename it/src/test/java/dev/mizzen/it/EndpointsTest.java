package dev.mizzen.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, scenario 4: Bookinfo's Pods become Ready with IPs, the real EndpointSlice controller writes their
 * slices, and a proxyless client of istiod (authenticated with its token, subscribed as grpc-java subscribes to
 * {@code xds:///reviews.bookinfo.svc.cluster.local:9080}) gets exactly those endpoints; scaling a Deployment and
 * deleting a Pod reach it. The Pod IPs cannot be dialled, so the test reads the EDS the client receives.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointsTest {
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String NS = "bookinfo";
    private static final String TARGET = "reviews.bookinfo.svc.cluster.local:9080";

    private static KubeCluster cluster;
    private static KubernetesClient admin;
    private static KubernetesClient asIstiod;
    private static IstiodServer istiod;
    private static ProxylessAds client;

    @BeforeAll
    static void start() {
        int webhookPort = ClusterIstiod.freePort();
        cluster = KubeCluster.start("endpoints-test", ClusterIstiod.serviceAddressFlag(webhookPort));
        admin = cluster.client();
        MizzenInstall.apply(admin, WAIT);
        asIstiod = ClusterIstiod.clientAs(cluster, MizzenInstall.NAMESPACE, MizzenInstall.SERVICE_ACCOUNT);
        istiod = ClusterIstiod.start(asIstiod, new IstiodSettings.Ports(0, 0, webhookPort, 0));
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(NS)
                .addToLabels("istio-injection", "enabled").endMetadata().build()).create();
        MizzenInstall.applyResource(admin, "/istio/bookinfo/platform/kube/bookinfo.yaml", NS);
        // istiod publishes its root in the new namespace; the client trusts what a pod there would mount
        await().atMost(WAIT).until(() ->
                admin.configMaps().inNamespace(NS).withName(XdsConnections.ROOT_CONFIG_MAP).get() != null);
        client = XdsConnections.proxyless(cluster, istiod, NS, "bookinfo-productpage", TARGET);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (istiod != null) {
            istiod.close();
        }
        if (asIstiod != null) {
            asIstiod.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The ready reviews Pods' IPs, at the container port the Service targets (9080), from the apiserver. */
    private static List<String> readyReviewsPods() {
        return admin.pods().inNamespace(NS).withLabel("app", "reviews").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus().getPodIP() != null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
                .map(p -> p.getStatus().getPodIP() + ":9080")
                .sorted()
                .toList();
    }

    /** What the EndpointSlice controller wrote for the Service reviews. */
    private static List<String> sliceEndpoints() {
        return admin.discovery().v1().endpointSlices().inNamespace(NS).withLabel("kubernetes.io/service-name", "reviews")
                .list().getItems().stream()
                .flatMap(s -> s.getEndpoints().stream()
                        .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
                        .flatMap(e -> e.getAddresses().stream()
                                .map(a -> a + ":" + s.getPorts().get(0).getPort())))
                .sorted()
                .toList();
    }

    private static void awaitClientSees(int count) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.error()).as("the ADS stream").isNull();
            List<String> pods = readyReviewsPods();
            assertThat(pods).hasSize(count);
            assertThat(sliceEndpoints()).isEqualTo(pods);
            assertThat(client.endpoints()).as("EDS of %s", TARGET)
                    .containsOnlyKeys("outbound|9080||reviews.bookinfo.svc.cluster.local");
            assertThat(client.allEndpoints()).isEqualTo(pods);
        });
    }

    @Test
    @Order(1)
    void theClientGetsTheEndpointsTheControllerWrote() {
        awaitClientSees(3);
        List<EndpointSlice> slices = admin.discovery().v1().endpointSlices().inNamespace(NS)
                .withLabel("kubernetes.io/service-name", "reviews").list().getItems();
        // written by the real controller, not by a test
        assertThat(slices).allSatisfy(s -> assertThat(s.getMetadata().getLabels())
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"));
    }

    @Test
    @Order(2)
    void scalingADeploymentReachesTheClient() {
        admin.apps().deployments().inNamespace(NS).withName("reviews-v1").scale(3);
        awaitClientSees(5);
        admin.apps().deployments().inNamespace(NS).withName("reviews-v1").scale(1);
        awaitClientSees(3);
    }

    @Test
    @Order(3)
    void deletingAPodReachesTheClient() {
        Pod victim = admin.pods().inNamespace(NS).withLabel("app", "reviews").withLabel("version", "v2").list()
                .getItems().get(0);
        String gone = victim.getStatus().getPodIP() + ":9080";
        admin.pods().inNamespace(NS).withName(victim.getMetadata().getName()).delete();
        // the ReplicaSet controller replaces it: a new Pod with a new IP
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.allEndpoints()).doesNotContain(gone));
        awaitClientSees(3);
        assertThat(client.endpoints().get("outbound|9080||reviews.bookinfo.svc.cluster.local"))
                .allSatisfy(a -> assertThat(a).startsWith("10.244."));
        assertThat(Map.copyOf(client.endpoints())).hasSize(1);
    }
}
