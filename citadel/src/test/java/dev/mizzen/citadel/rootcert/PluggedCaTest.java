package dev.mizzen.citadel.rootcert;

import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.FakeApiServer;
import dev.mizzen.citadel.testing.OpenSsl;
import dev.mizzen.citadel.testing.TestCas;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An operator's CA plugged in as Istio's cacerts: citadel signs as the intermediate and returns the full chain. */
class PluggedCaTest {
    private static final SpiffeId REVIEWS = SpiffeId.of("cluster.local", "bookinfo", "reviews");
    private final TestCas.Hierarchy operator = TestCas.hierarchy(Duration.ofDays(3650), Duration.ofDays(365));

    @TempDir
    Path tmp;

    @Test
    void fromTheCacertsSecretItSignsAsTheIntermediate() throws Exception {
        try (FakeApiServer api = FakeApiServer.start("istio-system", "bookinfo")) {
            api.client().secrets().inNamespace("istio-system").resource(new SecretBuilder()
                    .withNewMetadata().withName("cacerts").withNamespace("istio-system").endMetadata()
                    .withStringData(files(true)).build()).create();

            Citadel citadel = api.own(Citadel.start(CitadelSettings.defaults("istio-system"), api.client(), new SimpleMeterRegistry()));
            List<String> chain = citadel.authority().signWorkload(Csrs.ec().getPublic(), REVIEWS, Duration.ZERO).pemChain();

            assertThat(chain).hasSize(3);
            assertThat(Pem.certificate(chain.get(1))).isEqualTo(operator.intermediate());
            assertThat(Pem.certificates(chain.get(2))).containsExactly(operator.root());
            OpenSsl.Result verdict = OpenSsl.verify(chain, tmp);
            assertThat(verdict.ok()).as(verdict.output()).isTrue();
            await().untilAsserted(() -> assertThat(api.client().configMaps().inNamespace("bookinfo")
                    .withName(RootCertPublisher.CONFIG_MAP).get())
                    .isNotNull()
                    .satisfies(cm -> assertThat(cm.getData()).containsEntry(RootCertPublisher.KEY, Pem.encode(operator.root()))));
            assertThat(api.client().secrets().inNamespace("istio-system").withName(CaSecretCodec.SECRET_NAME).get()).isNull();
            assertThat(OpenSsl.verify(citadel.authority().signServer(Csrs.ec().getPublic(), List.of("istiod.istio-system.svc"),
                    Duration.ofHours(1)).pemChain(), tmp).ok()).isTrue();
        }
    }

    @Test
    void fromADirectoryWithoutCertChainPem() throws Exception {
        for (var file : files(false).entrySet()) {
            Files.writeString(tmp.resolve(file.getKey()), file.getValue());
        }

        SigningBundle bundle = PluggedCa.fromDirectory(tmp).orElseThrow();

        assertThat(bundle.source()).isEqualTo(SigningBundle.Source.PLUGGED);
        assertThat(bundle.chainBelowLeaf()).containsExactly(operator.intermediate());
        assertThat(bundle.roots()).containsExactly(operator.root());
        assertThat(PluggedCa.fromDirectory(tmp.resolve("nothing-here"))).isEmpty();
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtStart() {
        Map<String, String> wrongKey = new HashMap<>(files(true));
        wrongKey.put(PluggedCa.CA_KEY, Pem.encode(operator.rootKeys().getPrivate()));

        assertThatThrownBy(() -> PluggedCa.bundle(wrongKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong").hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void aChainThatDoesNotReachTheRootIsRefusedAtStart() {
        Map<String, String> strangerRoot = new HashMap<>(files(true));
        strangerRoot.put(PluggedCa.ROOT_CERT, Pem.encode(TestCas.selfSigned(dev.mizzen.citadel.pki.KeyType.ECDSA_P256).signingRoot()));

        assertThatThrownBy(() -> PluggedCa.bundle(strangerRoot)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not chain to its root-cert.pem");
    }

    private Map<String, String> files(boolean withChain) {
        Map<String, String> files = new HashMap<>();
        files.put(PluggedCa.CA_CERT, Pem.encode(operator.intermediate()));
        files.put(PluggedCa.CA_KEY, Pem.encode(operator.intermediateKeys().getPrivate()));
        files.put(PluggedCa.ROOT_CERT, Pem.encode(operator.root()));
        if (withChain) {
            files.put(PluggedCa.CERT_CHAIN, Pem.encode(List.of(operator.intermediate(), operator.root())));
        }
        return files;
    }
}
