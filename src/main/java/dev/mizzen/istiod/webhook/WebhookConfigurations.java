package dev.mizzen.istiod.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mizzen.api.kube.Leadership;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the cluster's webhook configurations pointing at this istiod: the CA bundle that verifies istiod's
 * serving certificate, and, once istiod serves, validation's failurePolicy turned from Ignore (the install's
 * setting, so that a missing istiod does not block config) to Fail. Configurations that are not installed
 * (local mode) are left alone.
 *
 * <p>Of several replicas only the leader writes ({@link Leadership}); every replica remembers the bundle it
 * wants, and one that becomes the leader writes it. Concurrency: {@link #want} and leadership changes only queue
 * a write on the single-threaded {@code writer}, which reads the latest wanted bundle, so writes never overlap.
 */
public final class WebhookConfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurations.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Leadership leadership;
    private final Executor writer;
    private final AtomicReference<String> wanted = new AtomicReference<>();

    public WebhookConfigurations(KubernetesClient client, String namespace, Leadership leadership, Executor writer) {
        this.client = client;
        this.namespace = namespace;
        this.leadership = leadership;
        this.writer = writer;
        leadership.whenLeading(this::writeLater);
    }

    /** The CA bundle (PEM) the apiserver should verify istiod's serving certificate with from now on. */
    public void want(String caBundlePem) {
        wanted.set(caBundlePem);
        writeLater();
    }

    private void writeLater() {
        try {
            writer.execute(() -> {
                String pem = wanted.get();
                if (pem != null && leadership.isLeading()) {
                    update(client, namespace, pem);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // closing: the next leader writes it
        }
    }

    /** Istio's names: {@code istio-validator-<ns>} and {@code istio-sidecar-injector}. */
    static void update(KubernetesClient client, String namespace, String caBundlePem) {
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
