package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.testing.FakeApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarts and replicas share one self-signed root, kept in istio-ca-secret. A restart is a new instance that
 * finds the Secret; it is started beside the running ones rather than after closing them, because the mock
 * server may stall when watches close under it (see {@link FakeApiServer#own}).
 */
class SharedRootTest {
    private static final CitadelSettings SETTINGS = CitadelSettings.defaults("istio-system");

    @Test
    void twoReplicasStartingTogetherEndWithTheSameRootAndARestartKeepsIt() {
        try (FakeApiServer api = FakeApiServer.start("istio-system")) {
            KubernetesClient clientA = api.own(api.newClient());
            KubernetesClient clientB = api.own(api.newClient());
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Citadel> a = CompletableFuture.supplyAsync(() -> startAfter(go, clientA));
            CompletableFuture<Citadel> b = CompletableFuture.supplyAsync(() -> startAfter(go, clientB));
            go.countDown();
            Citadel replicaA = api.own(a.join());
            Citadel replicaB = api.own(b.join());

            List<X509Certificate> roots = replicaA.roots();
            assertThat(replicaB.roots()).isEqualTo(roots);
            assertThat(replicaB.authority().bundle().issuer()).isEqualTo(replicaA.authority().bundle().issuer());
            Secret stored = api.client().secrets().inNamespace("istio-system").withName(CaSecretCodec.SECRET_NAME).get();
            assertThat(stored.getType()).isEqualTo("istio.io/ca-root");
            assertThat(stored.getData()).containsKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem");

            Citadel restarted = api.own(Citadel.start(SETTINGS, api.newClient(), new SimpleMeterRegistry()));
            assertThat(restarted.roots()).isEqualTo(roots);
        }
    }

    @Test
    void aDeletedCaSecretIsWrittenBackWithTheSameRoot() {
        try (FakeApiServer api = FakeApiServer.start("istio-system")) {
            Citadel citadel = api.own(Citadel.start(SETTINGS, api.client(), new SimpleMeterRegistry()));
            List<X509Certificate> roots = citadel.roots();

            api.client().secrets().inNamespace("istio-system").withName(CaSecretCodec.SECRET_NAME).delete();

            await().untilAsserted(() -> {
                Secret back = api.client().secrets().inNamespace("istio-system").withName(CaSecretCodec.SECRET_NAME).get();
                assertThat(back).isNotNull();
                assertThat(CaSecretCodec.decode(back.getData()).roots()).isEqualTo(roots);
            });
            assertThat(citadel.roots()).isEqualTo(roots);
        }
    }

    private static Citadel startAfter(CountDownLatch go, KubernetesClient client) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Citadel.start(SETTINGS, client, new SimpleMeterRegistry());
    }
}
