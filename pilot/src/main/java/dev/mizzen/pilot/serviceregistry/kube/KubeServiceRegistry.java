package dev.mizzen.pilot.serviceregistry.kube;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.TlsCredential;
import dev.mizzen.pilot.push.PushListener;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.serviceregistry.ServiceRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The Kubernetes service registry: Services, EndpointSlices and Pods from fabric8 informers, converted into
 * the mesh model, and the TLS credentials of Secrets that gateways name. Handlers only convert, compare with what they had, and emit a push request.
 *
 * <p>Threading: each informer calls its handler on its own thread; every mutation and {@link #snapshot()}
 * hold this object's lock, so a snapshot is one consistent view. Handlers are short and never block.
 */
public final class KubeServiceRegistry implements ServiceRegistry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeServiceRegistry.class);

    private final KubernetesClient client;
    private final String domainSuffix;
    private PushListener listener = request -> { };
    private final List<Watched> informers = new ArrayList<>();

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, Pod> pods = new HashMap<>();
    private final Map<String, SliceState> slices = new HashMap<>();
    private final Map<String, List<Endpoint>> endpointsByHost = new HashMap<>();
    private final Map<String, Set<String>> slicesByPod = new HashMap<>();
    private final Map<String, TlsCredential> credentials = new HashMap<>();

    private record SliceState(EndpointSlice slice, String hostname, List<Endpoint> endpoints) {
    }

    /**
     * An informer and how many objects its handler has taken in: an informer counts as synced when it has
     * listed, which is before its handler has seen the objects; the registry is synced when both are done.
     */
    private record Watched(SharedIndexInformer<?> informer, AtomicLong handled) {
        boolean synced() {
            return informer.hasSynced() && handled.get() >= informer.getStore().list().size();
        }
    }

    public KubeServiceRegistry(KubernetesClient client, String domainSuffix) {
        this.client = client;
        this.domainSuffix = domainSuffix;
    }

    /**
     * Starts the informers, pods first so that slices find the pods they point at, and sends every change
     * to {@code pushes} from then on.
     */
    public void start(PushListener pushes) {
        synchronized (this) {
            this.listener = pushes;
        }
        AtomicLong pods = new AtomicLong();
        informers.add(new Watched(client.pods().inAnyNamespace()
                .inform(handler(this::podChanged, this::podDeleted, pods), 0), pods));
        AtomicLong services = new AtomicLong();
        informers.add(new Watched(client.services().inAnyNamespace()
                .inform(handler(this::serviceChanged, this::serviceDeleted, services), 0), services));
        AtomicLong slices = new AtomicLong();
        informers.add(new Watched(client.discovery().v1().endpointSlices().inAnyNamespace()
                .inform(handler(this::sliceChanged, this::sliceDeleted, slices), 0), slices));
        AtomicLong secrets = new AtomicLong();
        informers.add(new Watched(client.secrets().inAnyNamespace()
                .inform(handler(this::secretChanged, this::secretDeleted, secrets), 0), secrets));
    }

    @Override
    public boolean hasSynced() {
        return !informers.isEmpty() && informers.stream().allMatch(Watched::synced);
    }

    @Override
    public synchronized RegistrySnapshot snapshot() {
        return new RegistrySnapshot(services, endpointsByHost, credentials);
    }

    @Override
    public void close() {
        informers.forEach(w -> w.informer().close());
    }

    // --- Services

    private synchronized void serviceChanged(io.fabric8.kubernetes.api.model.Service svc) {
        Service converted = ServiceConverter.convert(svc, domainSuffix);
        if (converted.ports().isEmpty()) {
            LOG.warn("Service {}/{} has no ports: it gets no clusters", converted.namespace(), converted.name());
        }
        Service previous = services.put(converted.hostname(), converted);
        if (!converted.equals(previous)) {
            listener.onPush(PushRequest.service(converted.hostname()));
        }
    }

    private synchronized void serviceDeleted(io.fabric8.kubernetes.api.model.Service svc) {
        String hostname = ServiceConverter.hostname(svc.getMetadata().getName(), svc.getMetadata().getNamespace(),
                domainSuffix);
        if (services.remove(hostname) != null) {
            listener.onPush(PushRequest.service(hostname));
        }
    }

    // --- EndpointSlices

    private synchronized void sliceChanged(EndpointSlice slice) {
        String key = key(slice);
        var serviceName = EndpointSliceConverter.serviceName(slice);
        if (serviceName.isEmpty()) {
            LOG.warn("EndpointSlice {} has no {} label: ignored", key, EndpointSliceConverter.SERVICE_NAME_LABEL);
            return;
        }
        String hostname = ServiceConverter.hostname(serviceName.get(), slice.getMetadata().getNamespace(), domainSuffix);
        SliceState previous = slices.get(key);
        if (previous == null && !services.containsKey(hostname)) {
            LOG.warn("EndpointSlice {} is for Service {}/{}, which does not exist (yet): its endpoints wait for it",
                    key, slice.getMetadata().getNamespace(), serviceName.get());
        }
        SliceState state = new SliceState(slice, hostname, EndpointSliceConverter.convert(slice, this::pod));
        slices.put(key, state);
        indexPods(key, previous == null ? null : previous.slice(), slice);
        recomputeEndpoints(hostname);
        if (previous != null && !previous.hostname().equals(hostname)) {
            recomputeEndpoints(previous.hostname());
        }
    }

    private synchronized void sliceDeleted(EndpointSlice slice) {
        String key = key(slice);
        SliceState previous = slices.remove(key);
        if (previous != null) {
            indexPods(key, previous.slice(), null);
            recomputeEndpoints(previous.hostname());
        }
    }

    private void indexPods(String sliceKey, EndpointSlice before, EndpointSlice after) {
        if (before != null) {
            podKeys(before).forEach(pod -> {
                Set<String> keys = slicesByPod.get(pod);
                if (keys != null) {
                    keys.remove(sliceKey);
                    if (keys.isEmpty()) {
                        slicesByPod.remove(pod);
                    }
                }
            });
        }
        if (after != null) {
            podKeys(after).forEach(pod -> slicesByPod.computeIfAbsent(pod, p -> new HashSet<>()).add(sliceKey));
        }
    }

    private static Set<String> podKeys(EndpointSlice slice) {
        Set<String> keys = new HashSet<>();
        if (slice.getEndpoints() != null) {
            for (var ep : slice.getEndpoints()) {
                var ref = ep.getTargetRef();
                if (ref != null && "Pod".equals(ref.getKind())) {
                    String ns = ref.getNamespace() != null ? ref.getNamespace() : slice.getMetadata().getNamespace();
                    keys.add(ns + "/" + ref.getName());
                }
            }
        }
        return keys;
    }

    private void recomputeEndpoints(String hostname) {
        List<Endpoint> all = new ArrayList<>();
        slices.values().stream()
                .filter(s -> s.hostname().equals(hostname))
                .sorted((a, b) -> key(a.slice()).compareTo(key(b.slice())))
                .forEach(s -> all.addAll(s.endpoints()));
        List<Endpoint> previous = all.isEmpty() ? endpointsByHost.remove(hostname)
                : endpointsByHost.put(hostname, List.copyOf(all));
        if (!Objects.equals(previous == null ? List.of() : previous, all)) {
            listener.onPush(PushRequest.endpoints(hostname));
        }
    }

    // --- Secrets: TLS credentials gateways name

    private synchronized void secretChanged(Secret secret) {
        String key = key(secret);
        TlsCredential credential = SecretConverter.convert(secret).orElse(null);
        TlsCredential previous = credential == null ? credentials.remove(key) : credentials.put(key, credential);
        if (!Objects.equals(previous, credential)) {
            listener.onPush(PushRequest.full("secret"));
        }
    }

    private synchronized void secretDeleted(Secret secret) {
        if (credentials.remove(key(secret)) != null) {
            listener.onPush(PushRequest.full("secret"));
        }
    }

    // --- Pods: labels and service accounts of endpoints

    private synchronized void podChanged(Pod pod) {
        String key = key(pod);
        Pod previous = pods.put(key, pod);
        if (previous == null || !Objects.equals(previous.getMetadata().getLabels(), pod.getMetadata().getLabels())
                || !Objects.equals(serviceAccount(previous), serviceAccount(pod))) {
            refreshSlicesOf(key);
        }
    }

    private synchronized void podDeleted(Pod pod) {
        String key = key(pod);
        if (pods.remove(key) != null) {
            refreshSlicesOf(key);
        }
    }

    private void refreshSlicesOf(String podKey) {
        Set<String> sliceKeys = slicesByPod.getOrDefault(podKey, Set.of());
        Set<String> hosts = new HashSet<>();
        for (String sliceKey : sliceKeys) {
            SliceState state = slices.get(sliceKey);
            slices.put(sliceKey, new SliceState(state.slice(), state.hostname(),
                    EndpointSliceConverter.convert(state.slice(), this::pod)));
            hosts.add(state.hostname());
        }
        hosts.forEach(this::recomputeEndpoints);
    }

    private Pod pod(String namespace, String name) {
        return pods.get(namespace + "/" + name);
    }

    private static String serviceAccount(Pod pod) {
        return pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
    }

    private static String key(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /** Wraps a handler so that one bad object is logged and skipped instead of stopping the informer. */
    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> onChange, Consumer<T> onDelete,
                                                                          AtomicLong added) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                safely(onChange, obj);
                added.incrementAndGet();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                safely(onChange, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                safely(onDelete, obj);
            }

            private void safely(Consumer<T> action, T obj) {
                try {
                    action.accept(obj);
                } catch (RuntimeException e) {
                    LOG.error("{} {}: cannot convert, skipped: {}", obj.getKind(), key(obj), e.toString());
                }
            }
        };
    }
}
