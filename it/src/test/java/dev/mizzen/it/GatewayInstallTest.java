package dev.mizzen.it;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.testing.TestIstiod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The install manifests on a real apiserver: istiod's (two replicas, PDB, HPA, Leases) and the ingress and egress
 * gateways' apply, and the ReplicaSet controller's gateway Pod goes through the apiserver's call to istiod's
 * injection webhook (the Service istiod resolved to the istiod of this JVM) and comes out with Envoy put in by the
 * {@code gateway} template: one istio-proxy container with the proxy image, no init container, no application.
 */
class GatewayInstallTest {

    @Test
    void theGatewayManifestsApplyAndTheGatewayPodIsInjectedWithTheGatewayTemplate() throws Exception {
        int webhookPort = freePort();
        try (KubeCluster cluster = KubeCluster.start("gateway-install",
                "--service-address", "istio-system/istiod=127.0.0.1:" + webhookPort)) {
            KubernetesClient client = cluster.client();
            Installation.applyCrds(client);
            List<HasMetadata> istiod = Installation.apply(client, Installation.INSTALL.resolve("istiod.yaml"));
            assertThat(istiod).extracting(HasMetadata::getKind).contains("Deployment", "PodDisruptionBudget",
                    "HorizontalPodAutoscaler", "Role", "RoleBinding");
            assertThat(client.apps().deployments().inNamespace("istio-system").withName("istiod").get().getSpec()
                    .getReplicas()).isEqualTo(2);

            IstiodSettings test = TestIstiod.settings();
            IstiodSettings settings = new IstiodSettings(new IstiodSettings.Ports(0, 0, webhookPort, 0),
                    test.bindAddress(), test.namespace(), test.mesh(), test.debounce(), test.citadel(), test.xdsLimits(),
                    test.election(), test.workloadEntryGracePeriod(), test.status());
            try (IstiodServer server = IstiodServer.start(settings, client, Optional.empty(), Map.of())) {
                // the leader puts its CA bundle into the injector's configuration: the apiserver can call it now
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new String(Base64.getDecoder()
                        .decode(client.admissionRegistration().v1().mutatingWebhookConfigurations()
                                .withName("istio-sidecar-injector").get().getWebhooks().get(0).getClientConfig()
                                .getCaBundle()), StandardCharsets.UTF_8)).isEqualTo(server.citadel().rootsPem()));

                List<HasMetadata> ingress = Installation.apply(client,
                        Installation.INSTALL.resolve("gateways").resolve("istio-ingressgateway.yaml"));
                assertThat(ingress).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount", "Role",
                        "RoleBinding", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget");
                Installation.apply(client, Installation.INSTALL.resolve("gateways").resolve("istio-egressgateway.yaml"));

                Pod gateway = await().atMost(Duration.ofMinutes(1)).until(() -> client.pods().inNamespace("istio-system")
                        .withLabel("istio", "ingressgateway").list().getItems().stream().findFirst().orElse(null),
                        pod -> pod != null);
                // Istio's status annotation: what the injector added (the gateway template adds no init container)
                assertThat(gateway.getMetadata().getAnnotations().get("sidecar.istio.io/status"))
                        .contains("\"initContainers\":null", "\"containers\":[\"istio-proxy\"]");
                assertThat(gateway.getSpec().getInitContainers()).isNullOrEmpty();
                assertThat(gateway.getSpec().getContainers()).extracting(Container::getName).containsExactly("istio-proxy");
                Container proxy = gateway.getSpec().getContainers().get(0);
                assertThat(proxy.getImage()).isNotEqualTo("auto").contains("proxyv2");
                // the gateway template runs Envoy as a router (the sidecar template: "proxy sidecar")
                assertThat(proxy.getArgs()).contains("proxy", "router");
                assertThat(client.services().inNamespace("istio-system").withName("istio-ingressgateway").get()
                        .getSpec().getType()).isEqualTo("LoadBalancer");

                Pod egress = await().atMost(Duration.ofMinutes(1)).until(() -> client.pods().inNamespace("istio-system")
                        .withLabel("istio", "egressgateway").list().getItems().stream().findFirst().orElse(null),
                        pod -> pod != null);
                assertThat(egress.getSpec().getContainers().get(0).getArgs()).contains("proxy", "router");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
