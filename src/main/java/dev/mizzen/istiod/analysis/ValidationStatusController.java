package dev.mizzen.istiod.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.api.kube.Leadership;
import dev.mizzen.galley.analysis.DiagMessage;
import dev.mizzen.galley.config.KubeConfigStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's in-cluster analysis controller: after each live analysis, the leader writes every Istio config object's
 * {@code status.validationMessages} and {@code status.observedGeneration} ({@link ValidationStatus} says which objects
 * need it, {@link StatusWriter} writes them). Followers analyse (for {@code /debug/analyze}) but plan and write
 * nothing; a replica that becomes the leader asks for an analysis, so it puts right whatever a previous leader left,
 * stale messages included.
 *
 * <p>Concurrency: {@link #analyzed} runs on the analysis thread and reads the informers' caches (fabric8's thread-safe
 * stores); writes happen on the writer's thread.
 */
public final class ValidationStatusController implements LiveAnalysis.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationStatusController.class);

    private final Map<ConfigKind<?>, SharedIndexInformer<GenericKubernetesResource>> objects = new LinkedHashMap<>();
    private final Leadership leadership;
    private final StatusWriter writer;

    /**
     * Subscribes to the analysis and to this replica's leadership.
     *
     * @param informers the process's informers: the config store's, whose caches hold each object's status
     */
    public ValidationStatusController(KubeInformers informers, KubernetesClient client, Leadership leadership,
                                      StatusSettings settings, LiveAnalysis analysis, MeterRegistry meters) {
        for (ConfigKind<?> kind : ConfigKind.all()) {
            objects.put(kind, informers.of(KubeConfigStore.resourceContext(kind)));
        }
        this.leadership = leadership;
        this.writer = new StatusWriter(client, leadership, settings.writesPerSecond(), analysis::requestAnalysis, meters);
        analysis.addListener(this);
        leadership.whenLeading(analysis::requestAnalysis);
    }

    @Override
    public void analyzed(ConfigSnapshot snapshot, List<DiagMessage> messages) {
        if (!leadership.isLeading()) {
            return;
        }
        List<ValidationStatus.Patch> patches = ValidationStatus.plan(messages, generations(snapshot), observed());
        if (!patches.isEmpty()) {
            LOG.debug("writing the status of {} Istio config objects", patches.size());
        }
        writer.submit(patches);
    }

    private static Map<ConfigKey, Long> generations(ConfigSnapshot snapshot) {
        Map<ConfigKey, Long> out = new HashMap<>();
        for (ConfigKind<?> kind : ConfigKind.all()) {
            for (Config<?> c : snapshot.list(kind)) {
                out.put(c.key(), c.meta().generation());
            }
        }
        return out;
    }

    private List<ValidationStatus.Observed> observed() {
        List<ValidationStatus.Observed> out = new ArrayList<>();
        objects.forEach((kind, informer) -> {
            for (GenericKubernetesResource r : informer.getStore().list()) {
                ObjectMeta meta = r.getMetadata();
                String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
                out.add(new ValidationStatus.Observed(ConfigKey.of(kind, namespace, meta.getName()),
                        meta.getGeneration() == null ? 0 : meta.getGeneration(), meta.getResourceVersion(),
                        status(r)));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource r) {
        return r.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @Override
    public void close() {
        writer.close();
    }
}
