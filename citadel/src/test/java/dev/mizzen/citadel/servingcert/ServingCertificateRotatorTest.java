package dev.mizzen.citadel.servingcert;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.testing.TestCas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ServingCertificateRotatorTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());

    record Delivery(PrivateKey key, List<X509Certificate> chain) {
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void istiodsCertificateNamesItsServicesAsIstioDoes() throws Exception {
        var settings = CitadelSettings.ServingSettings.forIstiod("istio-system", "cluster.local");
        var rotator = new ServingCertificateRotator(ca, settings, KeyType.ECDSA_P256, Clock.systemUTC(), executor);

        rotator.start();

        X509Certificate leaf = rotator.current().leaf();
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> (String) san.get(1)).toList()).containsExactly(
                "istiod.istio-system.svc", "istiod-remote.istio-system.svc", "istio-pilot.istio-system.svc",
                "istiod.istio-system.svc.cluster.local", "istiod");
        leaf.verify(ca.roots().get(0).getPublicKey());
        assertThat(rotator.current().toString()).contains("key redacted");
    }

    @Test
    void itIsReissuedWithANewKeyBeforeItExpires() {
        var settings = new CitadelSettings.ServingSettings(List.of("istiod.istio-system.svc"), Duration.ofSeconds(2), 50);
        var rotator = new ServingCertificateRotator(ca, settings, KeyType.ECDSA_P256, Clock.systemUTC(), executor);
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        rotator.start();

        rotator.subscribe((key, chain) -> deliveries.add(new Delivery(key, chain)));

        assertThat(deliveries).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() >= 2);
        Delivery first = deliveries.get(0);
        Delivery second = deliveries.get(1);
        assertThat(second.key()).isNotEqualTo(first.key());
        assertThat(second.chain().get(0).getNotAfter()).isAfter(first.chain().get(0).getNotAfter());
        // re-issued at half its life: the first was still valid when the second arrived
        assertThat(first.chain().get(0).getNotAfter().toInstant()).isAfter(second.chain().get(0).getNotBefore().toInstant());
    }
}
