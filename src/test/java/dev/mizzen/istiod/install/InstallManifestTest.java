package dev.mizzen.istiod.install;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.istiod.local.Manifests;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The install manifest applies as a cluster would take it, and istiod then takes over its webhooks:
 * validation's failurePolicy turns from Ignore to Fail and both carry the CA bundle of istiod's certificate.
 */
class InstallManifestTest {
    private static final Path MANIFEST = Path.of("..", "install", "kubernetes", "istiod.yaml");

    @Test
    void theManifestAppliesAndIstiodTakesOverItsWebhooks() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            ManifestApplier applier = new ManifestApplier(api.client());
            List<Manifests.Document> docs = Manifests.parse(Files.readString(MANIFEST));
            for (Manifests.Document doc : docs) {
                applier.apply(doc);
            }
            assertThat(docs).extracting(Manifests.Document::kind).contains("Deployment", "Service", "ClusterRole",
                    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
            var validators = api.client().admissionRegistration().v1().validatingWebhookConfigurations();
            assertThat(validators.withName("istio-validator-istio-system").get().getWebhooks().get(0).getFailurePolicy())
                    .isEqualTo("Ignore");

            try (IstiodServer istiod = IstiodServer.start(IstiodSettings.defaults().withEphemeralPorts(), api.client())) {
                await().untilAsserted(() -> {
                    ValidatingWebhookConfiguration validation = validators.withName("istio-validator-istio-system").get();
                    assertThat(validation.getWebhooks().get(0).getFailurePolicy()).isEqualTo("Fail");
                    String bundle = new String(Base64.getDecoder().decode(validation.getWebhooks().get(0).getClientConfig()
                            .getCaBundle()), StandardCharsets.UTF_8);
                    assertThat(bundle).isEqualTo(istiod.citadel().rootsPem());
                    assertThat(api.client().admissionRegistration().v1().mutatingWebhookConfigurations()
                            .withName("istio-sidecar-injector").get().getWebhooks())
                            .allSatisfy(w -> assertThat(w.getClientConfig().getCaBundle()).isNotBlank());
                });
            }
        }
    }
}
