package dev.mizzen.istiod.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keeps the cluster's webhook configurations pointing at this istiod: the CA bundle that verifies istiod's
 * serving certificate, and, once istiod serves, validation's failurePolicy turned from Ignore (the install's
 * setting, so that a missing istiod does not block config) to Fail. Configurations that are not installed
 * (local mode) are left alone.
 */
public final class WebhookConfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurations.class);

    private WebhookConfigurations() {
    }

    /** Istio's names: {@code istio-validator-<ns>} and {@code istio-sidecar-injector}. */
    public static void update(KubernetesClient client, String namespace, String caBundlePem) {
        String caBundle = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
        try {
            var validators = client.admissionRegistration().v1().validatingWebhookConfigurations();
            ValidatingWebhookConfiguration validation = validators.withName("istio-validator-" + namespace).get();
            if (validation != null) {
                validation.getWebhooks().forEach(w -> {
                    w.getClientConfig().setCaBundle(caBundle);
                    w.setFailurePolicy("Fail");
                });
                validators.resource(validation).update();
                LOG.info("validating webhook istio-validator-{}: CA bundle set, failurePolicy Fail", namespace);
            }
            var mutators = client.admissionRegistration().v1().mutatingWebhookConfigurations();
            MutatingWebhookConfiguration injection = mutators.withName("istio-sidecar-injector").get();
            if (injection != null) {
                injection.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(caBundle));
                mutators.resource(injection).update();
                LOG.info("mutating webhook istio-sidecar-injector: CA bundle set");
            }
        } catch (KubernetesClientException e) {
            LOG.warn("cannot update the webhook configurations (they keep their settings): {}", e.getMessage());
        }
    }
}
