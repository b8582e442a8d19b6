package dev.mizzen.it;

import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.rootcert.RootCertPublisher;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.leader.ElectionSettings;
import dev.mizzen.istiod.leader.LeaderElection;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.istiod.tls.ServingTls;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two istiod replicas on a real apiserver: both serve, one leads and alone writes the cluster's shared objects
 * (istio-ca-root-cert in every namespace, the webhook configurations); when it stops, the other takes over those
 * writes within the lease duration.
 *
 * <p>Each replica has a serving certificate of its own (as with {@code --tls-cert-file}), so the caBundle in the
 * webhook configurations says which replica wrote it last; each has a client with its own user agent, so the
 * apiserver's managedFields say which one wrote a ConfigMap.
 */
class IstiodReplicasTest {
    /** Short for the test (Istio: 30 s): renewal within 2 s, retries every 2/3 s. */
    private static final Duration LEASE = Duration.ofSeconds(4);

    @Test
    void onlyTheLeaderWritesAndTheOtherReplicaTakesOverWhenItStops() throws Exception {
        try (KubeCluster cluster = KubeCluster.start("istiod-replicas")) {
            KubernetesClient admin = cluster.client();
            Installation.applyCrds(admin);
            Installation.apply(admin, Installation.INSTALL.resolve("istiod.yaml"));
            var certA = SelfSignedCertificate.generate(SelfSignedCertificate.istiodNames("istio-system", "cluster.local"),
                    Clock.systemUTC());
            var certB = SelfSignedCertificate.generate(SelfSignedCertificate.istiodNames("istio-system", "cluster.local"),
                    Clock.systemUTC());

            try (KubernetesClient clientA = Installation.clientAs(cluster, "istiod-a");
                 KubernetesClient clientB = Installation.clientAs(cluster, "istiod-b");
                 IstiodServer a = IstiodServer.start(settings("istiod-a"), clientA,
                         Optional.of(ServingTls.of(certA.key(), certA.chain())), Map.of())) {
                await().atMost(LEASE.multipliedBy(2)).untilAsserted(() -> {
                    assertThat(holder(admin, LeaderElection.NAMESPACE_CONTROLLER)).isEqualTo("istiod-a");
                    assertThat(holder(admin, LeaderElection.VALIDATION_CONTROLLER)).isEqualTo("istiod-a");
                    assertThat(validationCaBundle(admin)).isEqualTo(Pem.encode(certA.chain()));
                });

                try (IstiodServer b = IstiodServer.start(settings("istiod-b"), clientB,
                        Optional.of(ServingTls.of(certB.key(), certB.chain())), Map.of())) {
                    // B serves (xDS, CA, webhooks) but leaves the shared objects to A: its own bundle never lands
                    assertThat(b.webhookPort()).isPositive();
                    admin.namespaces().resource(namespace("while-a-leads")).create();
                    await().atMost(LEASE.multipliedBy(2)).untilAsserted(() ->
                            assertThat(writersOfRootConfigMap(admin, "while-a-leads")).containsExactly("istiod-a"));
                    await().during(LEASE).atMost(LEASE.multipliedBy(2)).untilAsserted(() -> {
                        assertThat(validationCaBundle(admin)).isEqualTo(Pem.encode(certA.chain()));
                        assertThat(holder(admin, LeaderElection.NAMESPACE_CONTROLLER)).isEqualTo("istiod-a");
                    });

                    a.close();
                    long stopped = System.nanoTime();
                    await().atMost(LEASE).untilAsserted(() -> {
                        assertThat(holder(admin, LeaderElection.VALIDATION_CONTROLLER)).isEqualTo("istiod-b");
                        assertThat(validationCaBundle(admin)).isEqualTo(Pem.encode(certB.chain()));
                    });
                    admin.namespaces().resource(namespace("after-a-stopped")).create();
                    await().atMost(LEASE).untilAsserted(() ->
                            assertThat(writersOfRootConfigMap(admin, "after-a-stopped")).containsExactly("istiod-b"));
                    Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
                    System.out.printf("replica B took over the writes %d ms after replica A stopped (lease %s)%n",
                            takeover.toMillis(), LEASE);
                    assertThat(takeover).isLessThan(LEASE);
                }
            }
        }
    }

    private static IstiodSettings settings(String identity) {
        return TestIstiod.settings().withElection(ElectionSettings.of(identity, LEASE));
    }

    private static String holder(KubernetesClient client, String lease) {
        Lease l = client.leases().inNamespace("istio-system").withName(lease).get();
        return l == null ? null : l.getSpec().getHolderIdentity();
    }

    private static String validationCaBundle(KubernetesClient client) {
        var webhook = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("istio-validator-istio-system").get().getWebhooks().get(0);
        String bundle = webhook.getClientConfig().getCaBundle();
        return bundle == null ? null : new String(Base64.getDecoder().decode(bundle), StandardCharsets.UTF_8);
    }

    /** The field managers of istio-ca-root-cert in {@code namespace}: the replicas that wrote it. */
    private static Set<String> writersOfRootConfigMap(KubernetesClient client, String namespace) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(RootCertPublisher.CONFIG_MAP).get();
        assertThat(cm).as("istio-ca-root-cert in " + namespace).isNotNull();
        return cm.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager)
                .collect(Collectors.toSet());
    }

    private static io.fabric8.kubernetes.api.model.Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }
}
