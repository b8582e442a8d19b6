package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.FakeApiServer;
import dev.mizzen.citadel.testing.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A self-signed root in the last 20% of its life is replaced; both roots are trusted and published until the
 * old one expires. The clock is moved by hand; a 10-day root keeps the numbers readable.
 */
class RootRotationTest {
    private static final CitadelSettings SETTINGS = CitadelSettings.defaults("istio-system")
            .withKeyType(dev.mizzen.citadel.pki.KeyType.ECDSA_P256) // cheap keys: this test makes several
            .withRoot(new CitadelSettings.RootSettings(Duration.ofDays(10), 20, Duration.ofHours(1)));

    @Test
    void aRootNearingItsEndIsReplacedAndBothArePublishedDuringTheOverlap() {
        MutableClock clock = new MutableClock(Instant.now());
        try (FakeApiServer api = FakeApiServer.start("istio-system", "bookinfo")) {
            KubernetesClient replicaClient = api.own(api.newClient());
            Citadel citadel = api.own(Citadel.start(SETTINGS, api.client(), new SimpleMeterRegistry(), clock));
            Citadel replica = api.own(Citadel.start(SETTINGS, replicaClient, new SimpleMeterRegistry(), clock));
            X509Certificate oldRoot = citadel.roots().get(0);
            X509Certificate oldServing = citadel.servingCertificate().current().leaf();

            clock.advance(Duration.ofDays(7)); // 70% of its life: not yet
            citadel.checkRootNow();
            assertThat(citadel.roots()).containsExactly(oldRoot);

            clock.advance(Duration.ofDays(1).plusHours(1)); // past 80%
            citadel.checkRootNow();

            List<X509Certificate> roots = citadel.roots();
            assertThat(roots).hasSize(2);
            assertThat(roots.get(1)).isEqualTo(oldRoot);
            X509Certificate newRoot = roots.get(0);
            assertThat(newRoot.getNotAfter().toInstant()).isAfter(oldRoot.getNotAfter().toInstant());
            // new certificates chain to the new root
            var leaf = citadel.authority().signWorkload(Csrs.ec().getPublic(), SpiffeId.of("cluster.local", "bookinfo", "reviews"),
                    Duration.ZERO).leaf();
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(newRoot.getSubjectX500Principal());
            assertThat(verifiesWith(leaf, newRoot)).isTrue();
            // both roots published, the replica adopted them, istiod's certificate was re-issued under the new root
            await().untilAsserted(() -> assertThat(published(api, "bookinfo")).isEqualTo(Pem.encode(roots)));
            await().untilAsserted(() -> assertThat(replica.roots()).isEqualTo(roots));
            await().untilAsserted(() -> assertThat(verifiesWith(citadel.servingCertificate().current().leaf(), newRoot)).isTrue());
            assertThat(citadel.servingCertificate().current().leaf()).isNotEqualTo(oldServing);

            clock.set(oldRoot.getNotAfter().toInstant().plusSeconds(1)); // the old root expired
            citadel.checkRootNow();

            assertThat(citadel.roots()).containsExactly(newRoot);
            await().untilAsserted(() -> assertThat(published(api, "bookinfo")).isEqualTo(Pem.encode(List.of(newRoot))));
            await().untilAsserted(() -> assertThat(replica.roots()).containsExactly(newRoot));
        }
    }

    @Test
    void dueForRotationInTheLastGracePercentOfLife() {
        X509Certificate root = dev.mizzen.citadel.testing.TestCas.selfSigned(dev.mizzen.citadel.pki.KeyType.ECDSA_P256).signingRoot();
        Instant from = root.getNotBefore().toInstant();
        Duration life = Duration.between(from, root.getNotAfter().toInstant());

        assertThat(SelfSignedRoot.dueForRotation(root, from.plus(life.multipliedBy(79).dividedBy(100)), 20)).isFalse();
        assertThat(SelfSignedRoot.dueForRotation(root, from.plus(life.multipliedBy(81).dividedBy(100)), 20)).isTrue();
    }

    private static boolean verifiesWith(X509Certificate leaf, X509Certificate root) {
        try {
            leaf.verify(root.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String published(FakeApiServer api, String namespace) {
        var cm = api.client().configMaps().inNamespace(namespace).withName(RootCertPublisher.CONFIG_MAP).get();
        return cm == null ? null : cm.getData().get(RootCertPublisher.KEY);
    }
}
