package dev.mizzen.demo.local;

import dev.mizzen.demo.PodRanges;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.demo.StandInPods;
import dev.mizzen.demo.testing.FakeEnvoy;
import dev.mizzen.demo.testing.MeshFixture;
import dev.mizzen.istiod.local.LocalMode;
import dev.mizzen.istiod.testing.TestIstiod;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code istiod --local DIR} with Bookinfo's own {@code bookinfo.yaml} and nothing else: the local cluster's
 * controllers give its Services VIPs, its Deployments pods on loopback IPs and its Services EndpointSlices, so
 * istiod serves EDS clusters as in a cluster, and a grpc-java client reaches the pods (where {@link StandInPods}
 * answers).
 */
class LocalClusterTest {
    private static final String REVIEWS = "reviews.default.svc.cluster.local";

    @Test
    void bookinfoAloneGivesEdsClustersTheEightyTwentySplitAndScaling(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bookinfo.yaml"), bookinfo());
        Files.writeString(dir.resolve("destination-rules.yaml"), MeshFixture.sample("destination-rule-all"));
        LocalMode.Options options = LocalMode.Options.of(dir).withStateDir(dir.resolve(".state"))
                .withPodRange(PodRanges.free(9080)).withQuiet(Duration.ofMillis(50));
        try (LocalMode local = LocalMode.start(options, TestIstiod.settings(), Optional.empty());
             StandInPods pods = StandInPods.start(local.api().client());
             FakeEnvoy envoy = FakeEnvoy.connectPlaintext(local.istiod().xdsPort(), "sidecar", "127.0.0.3", "tester",
                     "default", Map.of("app", "tester"))) {
            // every Service has a VIP from the service range, so its clusters are EDS, not ORIGINAL_DST
            for (Service svc : local.api().client().services().inNamespace("default").list().getItems()) {
                assertThat(svc.getSpec().getClusterIP()).as(svc.getMetadata().getName()).startsWith("10.");
            }
            await().atMost(MeshFixture.TIMEOUT).untilAsserted(() -> {
                assertThat(cluster(envoy, "outbound|9080||" + REVIEWS).getType()).isEqualTo(Cluster.DiscoveryType.EDS);
                for (String version : List.of("v1", "v2", "v3")) {
                    assertThat(endpoints(envoy, "outbound|9080|" + version + "|" + REVIEWS))
                            .as(version).containsExactly(podIp(local, "reviews-" + version, 0));
                }
                assertThat(endpoints(envoy, "outbound|9080||" + REVIEWS)).hasSize(3);
                assertThat(endpoints(envoy, "outbound|9080||ratings.default.svc.cluster.local")).hasSize(1);
            });

            try (ProxylessClient client = ProxylessClient.isolated(ProxylessClient.bootstrap(
                    "127.0.0.1:" + local.istiod().xdsPort(), "sidecar~127.0.0.2~client.default~default.svc.cluster.local",
                    "default", Map.of("app", "client")))) {
                await().atMost(MeshFixture.TIMEOUT).ignoreExceptions().until(() -> pods.serving() == 6
                        && client.tally("reviews:9080", Map.of(), 30).keySet()
                        .equals(Set.of("reviews v1", "reviews v2", "reviews v3")));
                Files.writeString(dir.resolve("reviews.yaml"), MeshFixture.sample("virtual-service-reviews-80-20"));
                await().atMost(MeshFixture.TIMEOUT).until(() -> client.tally("reviews:9080", Map.of(), 20).keySet()
                        .equals(Set.of("reviews v1", "reviews v2")) || !client.tally("reviews:9080", Map.of(), 20)
                        .containsKey("reviews v3"));
                Map<String, Integer> tally = client.tally("reviews:9080", Map.of(), 2000);
                assertThat(tally).containsOnlyKeys("reviews v1", "reviews v2");
                assertThat(tally.get("reviews v1") / 2000.0).isBetween(0.76, 0.84);
                assertThat(tally.get("reviews v2") / 2000.0).isBetween(0.16, 0.24);
            }

            // scale reviews-v3 as a user would: edit its Deployment in the file
            Files.writeString(dir.resolve("bookinfo.yaml"), scaled(bookinfo(), "reviews-v3", 3));
            await().atMost(MeshFixture.TIMEOUT).untilAsserted(() ->
                    assertThat(endpoints(envoy, "outbound|9080|v3|" + REVIEWS)).hasSize(3));
            assertThat(local.api().client().pods().inNamespace("default").withLabel("version", "v3").list().getItems())
                    .extracting(p -> p.getMetadata().getName()).allMatch(n -> n.startsWith("reviews-v3-")).hasSize(3);
        }
    }

    @Test
    void aHeadlessServiceStaysOriginalDst(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("db.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports: [{name: tcp, port: 5432}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 2
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
                """);
        LocalMode.Options options = LocalMode.Options.of(dir).withStateDir(dir.resolve(".state"))
                .withPodRange(PodRanges.free(5432)).withQuiet(Duration.ofMillis(50));
        try (LocalMode local = LocalMode.start(options, TestIstiod.settings(), Optional.empty());
             FakeEnvoy envoy = FakeEnvoy.connectPlaintext(local.istiod().xdsPort(), "sidecar", "127.0.0.3", "tester",
                     "default", Map.of("app", "tester"))) {
            await().atMost(MeshFixture.TIMEOUT).untilAsserted(() -> {
                assertThat(local.api().client().discovery().v1().endpointSlices().inNamespace("default")
                        .withLabel("kubernetes.io/service-name", "db").list().getItems())
                        .flatExtracting(s -> s.getEndpoints()).extracting(e -> e.getHostname())
                        .containsExactlyInAnyOrder("db-0", "db-1");
                assertThat(cluster(envoy, "outbound|5432||db.default.svc.cluster.local").getType())
                        .isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
            });
            assertThat(local.api().client().services().inNamespace("default").withName("db").get().getSpec().getClusterIP())
                    .isEqualTo("None");
        }
    }

    private static Cluster cluster(FakeEnvoy envoy, String name) {
        return envoy.resources(Cluster.class).stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no cluster " + name));
    }

    private static Set<String> endpoints(FakeEnvoy envoy, String cluster) {
        ClusterLoadAssignment cla = envoy.resources(ClusterLoadAssignment.class).stream()
                .filter(c -> c.getClusterName().equals(cluster)).findFirst()
                .orElseThrow(() -> new AssertionError("no endpoints for " + cluster));
        Set<String> out = new TreeSet<>();
        for (LocalityLbEndpoints l : cla.getEndpointsList()) {
            l.getLbEndpointsList().forEach(e -> out.add(e.getEndpoint().getAddress().getSocketAddress().getAddress()));
        }
        return out;
    }

    private static String podIp(LocalMode local, String deployment, int index) {
        List<Pod> pods = local.api().client().pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(deployment + "-"))
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList();
        return pods.get(index).getStatus().getPodIP();
    }

    static String bookinfo() throws IOException {
        try (InputStream in = LocalClusterTest.class.getResourceAsStream("/bookinfo/platform/kube/bookinfo.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The manifest with one Deployment's replicas changed, as a user edits it. */
    static String scaled(String yaml, String deployment, int replicas) {
        int at = yaml.indexOf("name: " + deployment + "\n");
        int replicasAt = yaml.indexOf("replicas: 1", at);
        return yaml.substring(0, replicasAt) + "replicas: " + replicas + yaml.substring(replicasAt + "replicas: 1".length());
    }
}
