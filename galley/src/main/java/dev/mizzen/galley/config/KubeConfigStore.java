package dev.mizzen.galley.config;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigEvent;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigListener;
import dev.mizzen.api.config.ConfigMeta;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.api.config.SpecReadException;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.galley.validation.ConfigValidator;
import dev.mizzen.galley.validation.ValidationReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The config store fed by fabric8 informers on Istio's config kinds. Every object is read into its typed
 * spec and validated with the same rules as the webhook; an object that fails is skipped with one log line
 * and a counter, and the last good version of it keeps serving.
 *
 * <p>Threading: each kind's informer calls back on its own thread; the per-kind maps are concurrent and
 * each key is only written by its kind's informer. Listeners are called on that thread.
 */
public final class KubeConfigStore implements ConfigStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeConfigStore.class);

    private final KubernetesClient client;
    private final ConfigValidator validator;
    private final MeterRegistry meters;
    private final Map<ConfigKind, Map<ConfigKey, Config<?>>> configs = new EnumMap<>(ConfigKind.class);
    private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    /** Objects each kind's handler has taken in: an informer has synced when it listed, before its handler ran. */
    private final Map<ConfigKind, AtomicLong> handled = new EnumMap<>(ConfigKind.class);

    public KubeConfigStore(KubernetesClient client, ConfigValidator validator, MeterRegistry meters) {
        this.client = client;
        this.validator = validator;
        this.meters = meters;
        for (ConfigKind kind : ConfigKind.values()) {
            configs.put(kind, new ConcurrentHashMap<>());
        }
    }

    /** The Kubernetes coordinates we list and watch a kind at. */
    public static ResourceDefinitionContext resourceContext(ConfigKind kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(kind.group().groupName())
                .withVersion(kind.preferredVersion())
                .withKind(kind.kind())
                .withPlural(kind.plural())
                .withNamespaced(true)
                .build();
    }

    /** Starts one informer per kind; returns once they are started. */
    public void start() {
        for (ConfigKind kind : ConfigKind.values()) {
            handled.put(kind, new AtomicLong());
            informers.add(client.genericKubernetesResources(resourceContext(kind)).inAnyNamespace()
                    .inform(new Handler(kind), 0));
        }
    }

    @Override
    public boolean hasSynced() {
        if (informers.isEmpty()) {
            return false;
        }
        ConfigKind[] kinds = ConfigKind.values();
        for (int i = 0; i < informers.size(); i++) {
            SharedIndexInformer<GenericKubernetesResource> informer = informers.get(i);
            if (!informer.hasSynced() || handled.get(kinds[i]).get() < informer.getStore().list().size()) {
                return false;
            }
        }
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> List<Config<S>> list(ConfigKind kind) {
        return configs.get(kind).values().stream().map(c -> (Config<S>) c).toList();
    }

    @Override
    public void addListener(ConfigListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }

    void upsert(ConfigKind kind, GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata();
        ConfigKey key = ConfigKey.of(kind, meta.getNamespace() == null ? "default" : meta.getNamespace(), meta.getName());
        Object specTree = resource.getAdditionalProperties().get("spec");
        Object spec;
        try {
            spec = SpecReader.read(kind, specTree);
        } catch (SpecReadException e) {
            reject(key, e.fieldPath() + ": " + e.detail());
            return;
        }
        ValidationReport report = validator.validate(kind, key.namespace(), spec);
        if (report.hasErrors()) {
            reject(key, ValidationReport.describe(report.errors()));
            return;
        }
        if (!report.warnings().isEmpty()) {
            LOG.info("{} accepted with warnings: {}", key, ValidationReport.describe(report.warnings()));
        }
        Config<Object> config = new Config<>(key, meta(meta), spec);
        Config<?> previous = configs.get(kind).put(key, config);
        if (previous == null) {
            notify(new ConfigEvent(key, ConfigEvent.Type.ADDED));
        } else if (!sameContent(previous, config)) {
            notify(new ConfigEvent(key, ConfigEvent.Type.UPDATED));
        }
    }

    void delete(ConfigKind kind, GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata();
        ConfigKey key = ConfigKey.of(kind, meta.getNamespace() == null ? "default" : meta.getNamespace(), meta.getName());
        if (configs.get(kind).remove(key) != null) {
            notify(new ConfigEvent(key, ConfigEvent.Type.DELETED));
        }
    }

    private void reject(ConfigKey key, String reason) {
        boolean kept = configs.get(key.kind()).containsKey(key);
        LOG.warn("{} is invalid and was skipped{}: {}", key,
                kept ? " (its last good version keeps serving)" : "", reason);
        Counter.builder("galley_validation_failed")
                .description("Istio config objects skipped because they failed validation")
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

    private void notify(ConfigEvent event) {
        for (ConfigListener listener : listeners) {
            try {
                listener.onChange(event);
            } catch (RuntimeException e) {
                LOG.error("config listener failed on {}", event, e);
            }
        }
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final ConfigKind kind;

        Handler(ConfigKind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            safely(() -> upsert(kind, obj), obj);
            handled.get(kind).incrementAndGet();
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            safely(() -> upsert(kind, newObj), newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            safely(() -> delete(kind, obj), obj);
        }

        private void safely(Runnable action, GenericKubernetesResource obj) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("{} {}/{}: cannot process, skipped", kind.kind(), obj.getMetadata().getNamespace(),
                        obj.getMetadata().getName(), e);
            }
        }
    }
}
