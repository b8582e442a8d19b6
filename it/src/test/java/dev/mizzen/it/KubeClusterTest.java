package dev.mizzen.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixture is what it claims: a real control plane whose controllers turn a Deployment into ready
 * EndpointSlice endpoints, whose apiserver issues and reviews audience-bound service-account tokens as
 * Istio's CA needs, and Istio's own programs that run.
 */
class KubeClusterTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String NS = "smoke";

    private static KubeCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = KubeCluster.start("kube-cluster-test");
        client = cluster.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Deployment -> ReplicaSet -> 2 pods -> bound, running, ready -> EndpointSlice with 2 ready endpoints. */
    @Test
    void deploymentBecomesTwoReadyEndpoints() {
        Map<String, String> labels = Map.of("app", "echo");
        client.resource(new DeploymentBuilder()
                .withNewMetadata().withName("echo").withNamespace(NS).endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("echo").withImage("example.invalid/echo:1")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build()).create();
        client.resource(new ServiceBuilder()
                .withNewMetadata().withName("echo").withNamespace(NS).endMetadata()
                .withNewSpec()
                .withSelector(labels)
                .addNewPort().withName("http").withPort(80).withNewTargetPort("http").endPort()
                .endSpec()
                .build()).create();

        await().atMost(WAIT).untilAsserted(() -> {
            List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(NS)
                    .withLabel("kubernetes.io/service-name", "echo").list().getItems();
            List<Endpoint> ready = slices.stream()
                    .flatMap(s -> s.getEndpoints().stream())
                    .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
                    .toList();
            assertThat(ready).hasSize(2);
            assertThat(ready).allSatisfy(e -> {
                assertThat(e.getAddresses()).singleElement().asString().startsWith("10.244.");
                assertThat(e.getTargetRef().getKind()).isEqualTo("Pod");
            });
            assertThat(slices.get(0).getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        });
    }

    /** What Istio's CA does with a workload's token: TokenRequest for audience istio-ca, then TokenReview. */
    @Test
    void istioCaTokenIsReviewedAsTheServiceAccount() {
        client.resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("workload").withNamespace(NS).endMetadata().build()).create();

        TokenRequest request = client.serviceAccounts().inNamespace(NS).withName("workload")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec().withAudiences("istio-ca").withExpirationSeconds(3600L).endSpec()
                        .build());
        String token = request.getStatus().getToken();
        assertThat(token).isNotBlank();

        TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences("istio-ca").endSpec()
                .build());
        assertThat(review.getStatus().getError()).isNullOrEmpty();
        assertThat(review.getStatus().getAuthenticated()).isTrue();
        assertThat(review.getStatus().getAudiences()).containsExactly("istio-ca");
        assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:" + NS + ":workload");
        assertThat(review.getStatus().getUser().getGroups())
                .contains("system:serviceaccounts", "system:serviceaccounts:" + NS);

        // ... and the same token is not accepted for the apiserver's own audience.
        TokenReview wrongAudience = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(token).endSpec()
                .build());
        assertThat(wrongAudience.getStatus().getAuthenticated()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void istioProgramsRun() {
        IstioTools.Result version = IstioTools.run(IstioTools.istioctl(), "version", "--remote=false");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("client version");

        IstioTools.Result agent = IstioTools.run(IstioTools.pilotAgent(), "--help");
        assertThat(agent.exitCode()).as(agent.output()).isZero();
        assertThat(agent.output()).contains("pilot-agent", "proxy");

        IstioTools.Result discovery = IstioTools.run(IstioTools.pilotDiscovery(), "--help");
        assertThat(discovery.exitCode()).as(discovery.output()).isZero();
        assertThat(discovery.output()).contains("pilot-discovery", "discovery");
    }
}
