package dev.mizzen.citadel.rootcert;

import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.api.kube.Leadership;
import dev.mizzen.citadel.pki.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Publishes the CA's roots as the ConfigMap {@code istio-ca-root-cert} (key {@code root-cert.pem}) in every
 * namespace, and keeps it there: a new namespace gets it, a deleted or edited copy is written back, a root
 * change rewrites them all.
 *
 * <p>Concurrency: informer callbacks and {@link #publish} only queue namespace names (deduplicated in
 * {@code pending}); the single-threaded {@code executor} reconciles one namespace at a time against the
 * desired PEM, an atomic reference that {@link #publish} writes. A failed write is retried after
 * {@link #RETRY_SECONDS}, and every namespace is re-checked every {@link #RESYNC_MINUTES} minutes. The informers
 * are the process's shared ones (namespaces, and the ConfigMaps of this name only).
 *
 * <p>Only the leader of istiod's replicas writes ({@link Leadership}); a follower's reconciles stop before the
 * write, and becoming the leader reconciles every namespace.
 */
public final class RootCertPublisher implements AutoCloseable {
    public static final String CONFIG_MAP = "istio-ca-root-cert";
    public static final String KEY = "root-cert.pem";
    private static final Map<String, String> LABELS = Map.of("istio.io/config", "true");
    private static final long RETRY_SECONDS = 5;
    private static final long RESYNC_MINUTES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(RootCertPublisher.class);

    private final KubernetesClient client;
    private final ScheduledExecutorService executor;
    private final AtomicReference<String> desired = new AtomicReference<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final Leadership leadership;
    private ScheduledFuture<?> resync;

    public RootCertPublisher(KubernetesClient client, KubeInformers informers, List<X509Certificate> initialRoots,
                             ScheduledExecutorService executor, Leadership leadership) {
        this.client = client;
        this.leadership = leadership;
        this.executor = executor;
        this.desired.set(Pem.encode(initialRoots));
        this.configMaps = informers.of(ConfigMap.class, KubeInformers.Selection.ALL.withField("metadata.name", CONFIG_MAP));
        this.namespaces = informers.of(Namespace.class);
    }

    /** Listens to both informers (they run with the process's others) and re-checks every namespace periodically. */
    public void start() {
        configMaps.addEventHandler(handler(cm -> enqueue(cm.getMetadata().getNamespace())));
        namespaces.addEventHandler(handler(ns -> enqueue(ns.getMetadata().getName())));
        resync = executor.scheduleWithFixedDelay(() -> namespaces.getStore().listKeys().forEach(this::enqueue),
                RESYNC_MINUTES, RESYNC_MINUTES, TimeUnit.MINUTES);
        leadership.whenLeading(() -> namespaces.getStore().listKeys().forEach(this::enqueue));
    }

    /** Publishes new roots everywhere. */
    public void publish(List<X509Certificate> roots) {
        String pem = Pem.encode(roots);
        if (!pem.equals(desired.getAndSet(pem))) {
            namespaces.getStore().listKeys().forEach(this::enqueue);
        }
    }

    private void enqueue(String namespace) {
        if (namespace == null || !pending.add(namespace)) {
            return;
        }
        try {
            executor.execute(() -> {
                pending.remove(namespace);
                try {
                    reconcile(namespace);
                } catch (RuntimeException e) {
                    LOG.warn("reconciling {} failed", namespace, e);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(namespace); // shutting down
        }
    }

    private void reconcile(String namespace) {
        if (!leadership.isLeading()) {
            return; // the leader keeps it; this replica reconciles all when it leads
        }
        Namespace ns = namespaces.getStore().getByKey(namespace);
        if (ns == null || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()))) {
            return;
        }
        String pem = desired.get();
        ConfigMap existing = configMaps.getStore().getByKey(Cache.namespaceKeyFunc(namespace, CONFIG_MAP));
        if (existing != null && Map.of(KEY, pem).equals(existing.getData())) {
            return;
        }
        ConfigMap wanted = new ConfigMapBuilder()
                .withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace).withLabels(LABELS).endMetadata()
                .withData(Map.of(KEY, pem))
                .build();
        try {
            client.configMaps().inNamespace(namespace).resource(wanted).createOr(op -> op.update());
            LOG.debug("published the CA roots in {}", namespace);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // someone wrote it between our read and our write (another replica): look again at once
                LOG.debug("the CA roots in {} changed while being written; reconciling again", namespace);
                enqueue(namespace);
                return;
            }
            LOG.warn("cannot publish the CA roots in {} (retrying in {} s): {}", namespace, RETRY_SECONDS, e.getMessage());
            try {
                executor.schedule(() -> enqueue(namespace), RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // closing
            }
        }
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        if (resync != null) {
            resync.cancel(false);
        }
    }
}
