package dev.mizzen.pilot.serviceregistry.kube;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ChangeListener;
import dev.mizzen.api.kube.KeyedWorkQueue;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.TlsCredential;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.serviceregistry.ServiceRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The Kubernetes service registry over the process's informers: Services, EndpointSlices, Pods (labels and
 * service accounts of endpoints) and the Secrets that may hold TLS credentials. Handlers only enqueue a key;
 * one worker reconciles each key from the informers' caches (slices found through an index by service, and by
 * the pods they point at), converts it into the mesh model, compares with what it had, and tells the
 * listeners what changed.
 *
 * <p>Threading: informer handlers add to the work queue; the queue's one thread writes the model under this
 * object's lock; {@link #snapshot()} copies it under the same lock, so a snapshot is one consistent view.
 */
public final class KubeServiceRegistry implements ServiceRegistry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeServiceRegistry.class);
    /** Slices by the {@code namespace/name} of the Service they belong to. */
    static final String SLICES_BY_SERVICE = "mizzen-by-service";
    /** Slices by the {@code namespace/name} of every pod they point at. */
    static final String SLICES_BY_POD = "mizzen-by-pod";

    /** What the worker reconciles: one object's model, by what it is. */
    private enum Kind { SERVICE, ENDPOINTS, POD, SECRET }

    private record WorkKey(Kind kind, String namespace, String name) {
        String cacheKey() {
            return namespace + "/" + name;
        }
    }

    private final String domainSuffix;
    private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Secret> secrets;

    /**
     * The Secrets that may hold a credential: every type but service-account tokens and Helm releases (most
     * Secrets of a cluster, never a credential). Whoever else reads credentials asks for this selection, so one
     * watch and cache serve them all.
     */
    public static final KubeInformers.Selection CREDENTIAL_SECRETS = KubeInformers.Selection.ALL
            .withoutField("type", "kubernetes.io/service-account-token")
            .withoutField("type", "helm.sh/release.v1");
    private final KeyedWorkQueue<WorkKey> queue = new KeyedWorkQueue<>("mizzen-service-registry", this::reconcile);
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    private final Map<String, Service> servicesByHost = new HashMap<>();
    private final Map<String, List<Endpoint>> endpointsByHost = new HashMap<>();
    private final Map<String, TlsCredential> credentials = new HashMap<>();
    private RegistrySnapshot snapshot = RegistrySnapshot.EMPTY;
    private boolean snapshotStale;
    private boolean syncRequested;
    private volatile boolean synced;

    /**
     * Asks {@code informers} for what the registry watches: Services, EndpointSlices, Pods, and Secrets of the
     * types that can hold a credential (not service-account tokens nor Helm releases, which are most Secrets of
     * a cluster and never a credential). They start with the others.
     */
    public KubeServiceRegistry(KubeInformers informers, String domainSuffix) {
        this.domainSuffix = domainSuffix;
        this.services = informers.of(io.fabric8.kubernetes.api.model.Service.class);
        this.slices = informers.of(EndpointSlice.class);
        this.pods = informers.of(Pod.class);
        this.secrets = informers.of(Secret.class, CREDENTIAL_SECRETS);
        slices.addIndexers(Map.of(
                SLICES_BY_SERVICE, slice -> EndpointSliceConverter.serviceName(slice)
                        .map(name -> List.of(slice.getMetadata().getNamespace() + "/" + name)).orElse(List.of()),
                SLICES_BY_POD, slice -> List.copyOf(EndpointSliceConverter.podKeys(slice))));
        services.addEventHandler(enqueue((before, after) -> queue.add(key(Kind.SERVICE, after))));
        secrets.addEventHandler(enqueue((before, after) -> queue.add(key(Kind.SECRET, after))));
        slices.addEventHandler(enqueue((before, after) -> {
            Optional<String> service = EndpointSliceConverter.serviceName(after);
            service.ifPresent(name -> queue.add(new WorkKey(Kind.ENDPOINTS, after.getMetadata().getNamespace(), name)));
            if (service.isEmpty()) {
                LOG.warn("EndpointSlice {}/{} has no {} label: ignored", after.getMetadata().getNamespace(),
                        after.getMetadata().getName(), EndpointSliceConverter.SERVICE_NAME_LABEL);
            }
            if (before != null) { // a slice may change hands: its former service loses its endpoints
                EndpointSliceConverter.serviceName(before).ifPresent(name ->
                        queue.add(new WorkKey(Kind.ENDPOINTS, before.getMetadata().getNamespace(), name)));
            }
        }));
        pods.addEventHandler(enqueue((before, after) -> {
            // endpoints carry a pod's labels and service account; its status is the slices' business
            if (before == null || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                    || !Objects.equals(serviceAccount(before), serviceAccount(after))) {
                queue.add(key(Kind.POD, after));
            }
        }));
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /**
     * True once every informer has listed and the worker has taken in every object of those lists (an informer
     * has synced when it listed, before its handlers ran).
     */
    @Override
    public boolean hasSynced() {
        if (synced) {
            return true;
        }
        synchronized (this) {
            if (!syncRequested && services.hasSynced() && slices.hasSynced() && pods.hasSynced() && secrets.hasSynced()) {
                syncRequested = true;
                services.getStore().list().forEach(s -> queue.add(key(Kind.SERVICE, s)));
                secrets.getStore().list().forEach(s -> queue.add(key(Kind.SECRET, s)));
                slices.getStore().list().forEach(s -> EndpointSliceConverter.serviceName(s).ifPresent(name ->
                        queue.add(new WorkKey(Kind.ENDPOINTS, s.getMetadata().getNamespace(), name))));
                queue.execute(() -> synced = true);
            }
        }
        return false;
    }

    @Override
    public synchronized RegistrySnapshot snapshot() {
        if (snapshotStale) {
            snapshot = new RegistrySnapshot(servicesByHost, endpointsByHost, credentials);
            snapshotStale = false;
        }
        return snapshot;
    }

    @Override
    public void close() {
        queue.close();
    }

    /** Brings one key's model in line with the informers' caches: on the queue's thread only. */
    private void reconcile(WorkKey key) {
        switch (key.kind()) {
            case SERVICE -> reconcileService(key);
            case ENDPOINTS -> reconcileEndpoints(key.namespace(), key.name());
            case POD -> reconcilePod(key);
            case SECRET -> reconcileSecret(key);
        }
    }

    private void reconcileService(WorkKey key) {
        io.fabric8.kubernetes.api.model.Service svc = services.getStore().getByKey(key.cacheKey());
        String hostname = ServiceConverter.hostname(key.name(), key.namespace(), domainSuffix);
        Service converted = svc == null ? null : ServiceConverter.convert(svc, domainSuffix);
        if (converted != null && converted.ports().isEmpty()) {
            LOG.warn("Service {}/{} has no ports: it gets no clusters", key.namespace(), key.name());
        }
        Service previous;
        synchronized (this) {
            previous = converted == null ? servicesByHost.remove(hostname) : servicesByHost.put(hostname, converted);
            snapshotStale = true;
        }
        if (!Objects.equals(previous, converted)) {
            tell(new ChangeEvent.ServiceChanged(hostname, type(previous, converted)));
        }
    }

    /** All slices of one service, in a stable order, converted with the pods they point at. */
    private void reconcileEndpoints(String namespace, String serviceName) {
        String hostname = ServiceConverter.hostname(serviceName, namespace, domainSuffix);
        List<EndpointSlice> ofService = new ArrayList<>(slices.getIndexer().byIndex(SLICES_BY_SERVICE, namespace + "/" + serviceName));
        ofService.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        List<Endpoint> all = new ArrayList<>();
        for (EndpointSlice slice : ofService) {
            all.addAll(EndpointSliceConverter.convert(slice, this::pod));
        }
        List<Endpoint> previous;
        synchronized (this) {
            if (!all.isEmpty() && !servicesByHost.containsKey(hostname) && !endpointsByHost.containsKey(hostname)) {
                LOG.warn("EndpointSlices of Service {}/{}, which does not exist (yet): its endpoints wait for it",
                        namespace, serviceName);
            }
            previous = all.isEmpty() ? endpointsByHost.remove(hostname) : endpointsByHost.put(hostname, List.copyOf(all));
            snapshotStale = true;
        }
        if (!Objects.equals(previous == null ? List.of() : previous, all)) {
            tell(new ChangeEvent.EndpointsChanged(hostname, ChangeEvent.Type.UPDATED));
        }
    }

    /** A pod's labels or service account changed: the endpoints of every service whose slices name it. */
    private void reconcilePod(WorkKey key) {
        for (EndpointSlice slice : slices.getIndexer().byIndex(SLICES_BY_POD, key.cacheKey())) {
            EndpointSliceConverter.serviceName(slice).ifPresent(name ->
                    reconcileEndpoints(slice.getMetadata().getNamespace(), name));
        }
    }

    private void reconcileSecret(WorkKey key) {
        Secret secret = secrets.getStore().getByKey(key.cacheKey());
        TlsCredential credential = secret == null ? null : SecretConverter.convert(secret).orElse(null);
        TlsCredential previous;
        synchronized (this) {
            previous = credential == null ? credentials.remove(key.cacheKey()) : credentials.put(key.cacheKey(), credential);
            snapshotStale = true;
        }
        if (!Objects.equals(previous, credential)) {
            tell(new ChangeEvent.CredentialChanged(key.namespace(), key.name(), type(previous, credential)));
        }
    }

    private Pod pod(String namespace, String name) {
        return pods.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    private static ChangeEvent.Type type(Object previous, Object now) {
        return previous == null ? ChangeEvent.Type.ADDED : now == null ? ChangeEvent.Type.DELETED : ChangeEvent.Type.UPDATED;
    }

    private void tell(ChangeEvent event) {
        for (ChangeListener listener : listeners) {
            try {
                listener.onChange(event);
            } catch (RuntimeException e) {
                LOG.error("registry listener failed on {}", event, e);
            }
        }
    }

    private static String serviceAccount(Pod pod) {
        return pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
    }

    private static WorkKey key(Kind kind, HasMetadata object) {
        return new WorkKey(kind, Optional.ofNullable(object.getMetadata().getNamespace()).orElse(""),
                object.getMetadata().getName());
    }

    /** An informer handler that only enqueues: {@code (before, after)}, before null for an add, after for a delete. */
    private static <T extends HasMetadata> ResourceEventHandler<T> enqueue(BiConsumer<T, T> add) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                add.accept(null, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                add.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                add.accept(null, obj);
            }
        };
    }
}
