package dev.mizzen.it;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.analysis.StatusSettings;
import dev.mizzen.istiod.leader.ElectionSettings;
import dev.mizzen.istiod.leader.LeaderElection;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live analysis written into Istio config objects' {@code status} on a real apiserver, by istiod running as its own
 * ServiceAccount with only the shipped ClusterRole: off by default (nothing written, no election); on, the leader of
 * {@code istio-analyze-leader} writes Istio's {@code validationMessages} (IST0101 for a VirtualService bound to a
 * missing gateway) with the generation analysed, clears them once the VirtualService is fixed, and the other replica
 * writes nothing until it leads; then it writes and clears in turn.
 *
 * <p>The apiserver records the first part of a client's user agent as the manager of what it writes, so the
 * status's managedFields say which replica wrote it.
 */
class StatusWritesTest {
    private static final Duration LEASE = Duration.ofSeconds(4);
    /** Istio's analysis interval paces live analysis (10 s): a write follows a change within about that. */
    private static final Duration WRITE = Duration.ofSeconds(45);
    private static final String NS = "status-test";
    private static final ResourceDefinitionContext VIRTUAL_SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService").withPlural("virtualservices")
            .withNamespaced(true).build();

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: status-test}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            """;
    private static final String BROKEN = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: status-test}
            spec:
              hosts: [reviews]
              gateways: [no-such-gateway]
              http:
              - route:
                - destination: {host: reviews}
            """;
    private static final String FIXED = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: status-test}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews}
            """;

    @Test
    void theLeaderWritesAnalysisMessagesIntoStatusAndClearsThemOnlyWhenEnabled() throws Exception {
        int webhookPort = ClusterIstiod.freePort();
        try (KubeCluster cluster = KubeCluster.start("status-writes", ClusterIstiod.serviceAddressFlag(webhookPort))) {
            KubernetesClient admin = cluster.client();
            MizzenInstall.apply(admin, Duration.ofMinutes(1));
            admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName(NS).endMetadata().build()).create();
            MizzenInstall.applyYaml(admin, SERVICE);
            IstiodSettings.Ports ports = new IstiodSettings.Ports(0, 0, webhookPort, 0);

            // off (the default): analysis runs and says IST0101, but no status is written and no election is held
            try (KubernetesClient asIstiod = istiodClient(cluster, "istiod-off");
                 IstiodServer off = IstiodServer.start(settings(ports, "istiod-off", StatusSettings.OFF), asIstiod)) {
                MizzenInstall.applyYaml(admin, BROKEN);
                await().atMost(WRITE).untilAsserted(() -> assertThat(debugAnalyze(off))
                        .contains("Error [IST0101] (VirtualService status-test/reviews) Referenced gateway not found: "
                                + "\"no-such-gateway\""));
                assertThat(virtualService(admin).getAdditionalProperties()).doesNotContainKey("status");
                assertThat(lease(admin)).isNull();
            }

            long started = System.nanoTime();
            try (KubernetesClient clientA = istiodClient(cluster, "istiod-a");
                 KubernetesClient clientB = istiodClient(cluster, "istiod-b");
                 IstiodServer a = IstiodServer.start(settings(ports, "istiod-a", StatusSettings.ON), clientA)) {
                await().atMost(LEASE.multipliedBy(2)).untilAsserted(() -> assertThat(lease(admin)).isEqualTo("istiod-a"));
                try (IstiodServer b = IstiodServer.start(settings(IstiodSettings.Ports.EPHEMERAL, "istiod-b",
                        StatusSettings.ON), clientB)) {
                    await().atMost(WRITE).untilAsserted(() -> assertThat(codes(virtualService(admin))).contains("IST0101"));
                    report("the leader wrote IST0101 into the VirtualService's status (from its start)", started);
                    GenericKubernetesResource vs = virtualService(admin);
                    Map<String, Object> status = status(vs);
                    assertThat(status.get("observedGeneration")).hasToString(vs.getMetadata().getGeneration().toString());
                    assertThat(messages(vs)).contains(Map.of(
                            "documentationUrl", "https://istio.io/latest/docs/reference/config/analysis/ist0101/",
                            "level", "ERROR",
                            "type", Map.of("code", "IST0101", "name", "ReferencedResourceNotFound")));
                    // B analysed the same mesh, yet only the leader wrote
                    await().atMost(WRITE).untilAsserted(() -> assertThat(debugAnalyze(b)).contains("IST0101"));
                    assertThat(statusWriters(virtualService(admin))).containsExactly("istiod-a");

                    // no write storm: more pushes, more analyses, the same messages: the status is not written again
                    String resourceVersion = virtualService(admin).getMetadata().getResourceVersion();
                    double runs = metric(a, "istiod_analysis_runs");
                    for (int i = 1; i <= 2; i++) {
                        MizzenInstall.applyYaml(admin, SERVICE.replace("name: reviews", "name: poke-" + i));
                        double after = runs + i;
                        await().atMost(WRITE).until(() -> metric(a, "istiod_analysis_runs") >= after);
                    }
                    assertThat(metric(a, "istiod_status_writes{result=\"written\"}")).isEqualTo(1);
                    assertThat(metric(b, "istiod_status_writes{result=\"written\"}")).isZero();
                    assertThat(virtualService(admin).getMetadata().getResourceVersion()).isEqualTo(resourceVersion);

                    long start = System.nanoTime();
                    MizzenInstall.applyYaml(admin, FIXED);
                    await().atMost(WRITE).untilAsserted(() -> {
                        GenericKubernetesResource fixed = virtualService(admin);
                        assertThat(fixed.getMetadata().getGeneration()).isEqualTo(2);
                        assertThat(status(fixed)).doesNotContainKey("validationMessages");
                        assertThat(status(fixed).get("observedGeneration")).hasToString("2");
                    });
                    report("the leader cleared the messages of the fixed VirtualService", start);
                    assertThat(statusWriters(virtualService(admin))).containsExactly("istiod-a");
                    assertThat(metric(a, "istiod_status_writes{result=\"written\"}")).isEqualTo(2);

                    a.close();
                    await().atMost(LEASE.multipliedBy(2)).untilAsserted(() -> assertThat(lease(admin)).isEqualTo("istiod-b"));
                    // a Kubernetes change (no Istio config, so no webhook): the Service the route names goes away
                    start = System.nanoTime();
                    admin.services().inNamespace(NS).withName("reviews").delete();
                    await().atMost(WRITE).untilAsserted(() -> assertThat(codes(virtualService(admin))).contains("IST0101"));
                    report("the new leader wrote IST0101 for the deleted Service", start);
                    assertThat(statusWriters(virtualService(admin))).contains("istiod-b");
                    MizzenInstall.applyYaml(admin, SERVICE);
                    await().atMost(WRITE).untilAsserted(() -> assertThat(status(virtualService(admin)))
                            .doesNotContainKey("validationMessages"));
                }
            }
        }
    }

    private static IstiodSettings settings(IstiodSettings.Ports ports, String identity, StatusSettings status) {
        return ClusterIstiod.settings(ports).withElection(ElectionSettings.of(identity, LEASE)).withStatus(status);
    }

    /** istiod's ServiceAccount (the shipped ClusterRole, nothing more) with a user agent naming the replica. */
    private static KubernetesClient istiodClient(KubeCluster cluster, String agent) {
        String token = ClusterIstiod.token(cluster, MizzenInstall.NAMESPACE, MizzenInstall.SERVICE_ACCOUNT, List.of(),
                Duration.ofHours(1).toSeconds());
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(cluster.server())
                .withCaCertFile(cluster.caFile().toString())
                .withOauthToken(token)
                .withNamespace(MizzenInstall.NAMESPACE)
                .withUserAgent(agent)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static GenericKubernetesResource virtualService(KubernetesClient client) {
        return client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace(NS).withName("reviews").get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(GenericKubernetesResource r) {
        Object list = status(r).get("validationMessages");
        return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static List<Object> codes(GenericKubernetesResource r) {
        return messages(r).stream().map(m -> ((Map<?, ?>) m.get("type")).get("code")).map(Object.class::cast).toList();
    }

    /** The managers of the status subresource's fields: the replicas that wrote status. */
    private static Set<String> statusWriters(GenericKubernetesResource r) {
        return r.getMetadata().getManagedFields().stream().filter(f -> "status".equals(f.getSubresource()))
                .map(ManagedFieldsEntry::getManager).collect(Collectors.toSet());
    }

    private static String lease(KubernetesClient client) {
        Lease l = client.leases().inNamespace(MizzenInstall.NAMESPACE).withName(LeaderElection.ANALYZE_CONTROLLER).get();
        return l == null ? null : l.getSpec().getHolderIdentity();
    }

    private static String debugAnalyze(IstiodServer istiod) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + istiod.monitoringPort() + "/debug/analyze")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** A sample of istiod's /metrics (Prometheus text) by its name and labels; 0 when not there yet. */
    private static double metric(IstiodServer istiod, String sample) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + istiod.monitoringPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).trim())).findFirst().orElse(0);
    }

    private static void report(String what, long startNanos) {
        System.out.printf("%s after %d ms (load average %.2f)%n", what,
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
