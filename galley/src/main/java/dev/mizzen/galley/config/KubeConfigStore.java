package dev.mizzen.galley.config;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ChangeListener;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.api.config.SpecReadException;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.kube.KeyedWorkQueue;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.galley.validation.ConfigValidator;
import dev.mizzen.galley.validation.ValidationReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The config store fed by the process's informers on Istio's config kinds. Handlers only enqueue what they
 * heard; one worker reads each object version into its typed spec and validates it with the same rules as the
 * webhook, in the order they came. Every version is judged, not only the latest: one that fails is skipped with
 * one log line and a counter (so a user sees each mistake), and the last good version keeps serving.
 *
 * <p>Threading: informer handlers add tasks to the work queue; the queue's one thread writes the objects, under
 * this object's lock, and tells the listeners; {@link #snapshot()} copies them under the same lock, so a
 * snapshot is one consistent view across kinds.
 */
public final class KubeConfigStore implements ConfigStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeConfigStore.class);

    private final ConfigValidator validator;
    private final MeterRegistry meters;
    private final Map<ConfigKind<?>, SharedIndexInformer<GenericKubernetesResource>> informers = new LinkedHashMap<>();
    /** ordered tasks only: every version counts, none is merged into a later one */
    private final KeyedWorkQueue<ConfigKey> queue = new KeyedWorkQueue<>("mizzen-config-store", key -> { });
    /** initial objects each kind's worker took in: an informer has synced when it listed, before its handler ran */
    private final Map<ConfigKind<?>, AtomicLong> added = new LinkedHashMap<>();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ConfigKey, Config<?>> configs = new HashMap<>();
    private ConfigSnapshot snapshot = ConfigSnapshot.EMPTY;
    private boolean snapshotStale;

    /** Asks {@code informers} for every Istio kind; they start with the others. */
    public KubeConfigStore(KubeInformers informers, ConfigValidator validator, MeterRegistry meters) {
        this.validator = validator;
        this.meters = meters;
        for (ConfigKind<?> kind : ConfigKind.all()) {
            SharedIndexInformer<GenericKubernetesResource> informer = informers.of(resourceContext(kind));
            informer.addEventHandler(new Enqueue(kind));
            this.informers.put(kind, informer);
            this.added.put(kind, new AtomicLong());
        }
    }

    /** The Kubernetes coordinates we list and watch a kind at. */
    public static ResourceDefinitionContext resourceContext(ConfigKind<?> kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(kind.group().groupName())
                .withVersion(kind.preferredVersion())
                .withKind(kind.kind())
                .withPlural(kind.plural())
                .withNamespaced(true)
                .build();
    }

    /** The kind as a custom resource definition: what an embedded (mock) API server must be told to serve it. */
    public static CustomResourceDefinitionContext crdContext(ConfigKind<?> kind) {
        ResourceDefinitionContext ctx = resourceContext(kind);
        return new CustomResourceDefinitionContext.Builder()
                .withName(ctx.getPlural() + "." + ctx.getGroup())
                .withGroup(ctx.getGroup())
                .withVersion(ctx.getVersion())
                .withKind(ctx.getKind())
                .withPlural(ctx.getPlural())
                .withScope("Namespaced")
                .build();
    }

    /** True once every informer has listed and the worker has taken in every object of those lists. */
    @Override
    public boolean hasSynced() {
        return informers.entrySet().stream().allMatch(e -> e.getValue().hasSynced()
                && added.get(e.getKey()).get() >= e.getValue().getStore().list().size());
    }

    @Override
    public synchronized ConfigSnapshot snapshot() {
        if (snapshotStale) {
            snapshot = ConfigSnapshot.of(configs.values());
            snapshotStale = false;
        }
        return snapshot;
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        queue.close();
    }

    private void upsert(ConfigKey key, GenericKubernetesResource resource) {
        Object spec;
        try {
            spec = SpecReader.read(key.kind(), resource.getAdditionalProperties().get("spec"));
        } catch (SpecReadException e) {
            reject(key, e.fieldPath() + ": " + e.detail());
            return;
        }
        ValidationReport report = validator.validateSpec(key.kind(), key.namespace(), spec);
        if (report.hasErrors()) {
            reject(key, ValidationReport.describe(report.errors()));
            return;
        }
        if (!report.warnings().isEmpty()) {
            LOG.info("{} accepted with warnings: {}", key, ValidationReport.describe(report.warnings()));
        }
        Config<Object> config = new Config<>(key, meta(resource.getMetadata()), spec);
        Config<?> previous;
        synchronized (this) {
            previous = configs.put(key, config);
            snapshotStale = true;
        }
        if (previous == null) {
            notify(new ChangeEvent.ConfigChanged(key, ChangeEvent.Type.ADDED));
        } else if (!sameContent(previous, config)) {
            notify(new ChangeEvent.ConfigChanged(key, ChangeEvent.Type.UPDATED));
        }
    }

    private void delete(ConfigKey key) {
        Config<?> removed;
        synchronized (this) {
            removed = configs.remove(key);
            snapshotStale |= removed != null;
        }
        if (removed != null) {
            notify(new ChangeEvent.ConfigChanged(key, ChangeEvent.Type.DELETED));
        }
    }

    private void reject(ConfigKey key, String reason) {
        boolean kept;
        synchronized (this) {
            kept = configs.containsKey(key);
        }
        LOG.warn("{} is invalid and was skipped{}: {}", key,
                kept ? " (its last good version keeps serving)" : "", reason);
        Counter.builder("mizzen_config_invalid")
                .description("Istio config objects skipped because they failed validation (the webhook's are galley_validation_failed)")
                .tag("kind", key.kind().kind())
                .register(meters)
                .increment();
    }

    private static boolean sameContent(Config<?> a, Config<?> b) {
        return Objects.equals(a.spec(), b.spec())
                && a.meta().labels().equals(b.meta().labels())
                && a.meta().annotations().equals(b.meta().annotations());
    }

    private static ConfigMeta meta(ObjectMeta meta) {
        Instant created = Instant.EPOCH;
        if (meta.getCreationTimestamp() != null) {
            try {
                created = Instant.parse(meta.getCreationTimestamp());
            } catch (DateTimeParseException e) {
                LOG.debug("unreadable creationTimestamp {}", meta.getCreationTimestamp());
            }
        }
        long generation = meta.getGeneration() == null ? 0 : meta.getGeneration();
        return new ConfigMeta(meta.getLabels(), meta.getAnnotations(), created, meta.getResourceVersion(), generation);
    }

    private void notify(ChangeEvent event) {
        for (ChangeListener listener : listeners) {
            try {
                listener.onChange(event);
            } catch (RuntimeException e) {
                LOG.error("config listener failed on {}", event, e);
            }
        }
    }

    private static ConfigKey key(ConfigKind<?> kind, GenericKubernetesResource object) {
        ObjectMeta meta = object.getMetadata();
        return ConfigKey.of(kind, meta.getNamespace() == null ? "default" : meta.getNamespace(), meta.getName());
    }

    /** The informers' handler: it only hands what it heard to the worker, in order. */
    private final class Enqueue implements ResourceEventHandler<GenericKubernetesResource> {
        private final ConfigKind<?> kind;

        Enqueue(ConfigKind<?> kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            queue.execute(() -> {
                upsert(key(kind, obj), obj);
                added.get(kind).incrementAndGet();
            });
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            queue.execute(() -> upsert(key(kind, newObj), newObj));
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            queue.execute(() -> delete(key(kind, obj)));
        }
    }
}
