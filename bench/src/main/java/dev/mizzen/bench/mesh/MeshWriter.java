package dev.mizzen.bench.mesh;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.config.KubeConfigStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Writes a {@link MeshShape} (and Sidecar resources for a {@link SidecarScope}) into an apiserver through the
 * fabric8 client, and changes it afterwards: one
 * endpoint's address in an EndpointSlice, the revision of a VirtualService.
 *
 * <p>Threading: {@link #createAll} writes from a small pool of its own; the change methods are called from
 * one thread at a time (the scenario driving them) and hold this object's lock for the slice bookkeeping.
 */
public final class MeshWriter {
    private static final int WRITERS = 4;

    private final boolean realCluster;
    private final KubernetesClient client;
    private final MeshShape shape;
    private final MeshObjects objects;
    private final List<List<String>> addresses = new ArrayList<>();
    private final int[] changesPerService;
    private int changes;

    public MeshWriter(KubernetesClient client, MeshShape shape) {
        this(client, shape, false);
    }

    /**
     * A writer for a real API server (kube-apiserver): it creates the namespaces and the service accounts the
     * pods name, which its admission insists on, and lets it allocate the cluster IPs (the shape's first one
     * is the {@code kubernetes} Service's there).
     */
    public static MeshWriter forCluster(KubernetesClient client, MeshShape shape) {
        return new MeshWriter(client, shape, true);
    }

    private MeshWriter(KubernetesClient client, MeshShape shape, boolean realCluster) {
        this.realCluster = realCluster;
        this.client = client;
        this.shape = shape;
        this.objects = new MeshObjects(shape);
        this.changesPerService = new int[shape.services()];
        for (int s = 0; s < shape.services(); s++) {
            addresses.add(new ArrayList<>(objects.podIps(s)));
        }
    }

    public MeshObjects objects() {
        return objects;
    }

    /** Creates every Service, Pod, EndpointSlice, VirtualService and DestinationRule; returns the count. */
    public int createAll() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS,
                new ThreadFactoryBuilder().setNameFormat("bench-writer").build());
        AtomicInteger created = new AtomicInteger();
        try {
            if (realCluster) {
                run(pool, shape.namespaces(), n -> () -> create(new NamespaceBuilder().withNewMetadata()
                        .withName(shape.namespaceName(n)).endMetadata().build(), created));
                run(pool, shape.services(), s -> () -> create(new ServiceAccountBuilder().withNewMetadata()
                        .withName(shape.serviceName(s)).withNamespace(shape.serviceNamespace(s)).endMetadata().build(),
                        created));
            }
            run(pool, shape.services(), s -> () -> create(service(s), created));
            run(pool, shape.services() * shape.endpoints(),
                    i -> () -> create(objects.pod(i / shape.endpoints(), i % shape.endpoints()), created));
            run(pool, shape.services(), s -> () -> create(objects.endpointSlice(s, addresses.get(s)), created));
            run(pool, shape.services(), s -> () -> {
                if (shape.hasRules(s)) {
                    createIstio(ConfigKind.DESTINATION_RULE, objects.destinationRule(s), created);
                    createIstio(ConfigKind.VIRTUAL_SERVICE, objects.virtualService(s, 0), created);
                }
            });
        } finally {
            pool.shutdownNow();
        }
        return created.get();
    }

    /** Creates what narrows the sidecars' scope ({@link SidecarScope#NAMESPACE}: a Sidecar per namespace); returns the count. */
    public int createScope(SidecarScope scope) {
        if (scope != SidecarScope.NAMESPACE) {
            return 0;
        }
        AtomicInteger created = new AtomicInteger();
        for (int n = 0; n < shape.namespaces(); n++) {
            createIstio(ConfigKind.SIDECAR, objects.namespaceSidecar(shape.namespaceName(n)), created);
        }
        return created.get();
    }

    private io.fabric8.kubernetes.api.model.Service service(int s) {
        var service = objects.service(s);
        if (realCluster) {
            service.getSpec().setClusterIP(null);
        }
        return service;
    }

    private static void run(ExecutorService pool, int count, IntFunction<Runnable> task) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(task.apply(i)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("writing the mesh failed", e.getCause());
            }
        }
    }

    private void create(HasMetadata object, AtomicInteger created) {
        client.resource(object).create();
        created.incrementAndGet();
    }

    private void createIstio(ConfigKind<?> kind, io.fabric8.kubernetes.api.model.GenericKubernetesResource object,
                             AtomicInteger created) {
        client.genericKubernetesResources(KubeConfigStore.resourceContext(kind))
                .inNamespace(object.getMetadata().getNamespace()).resource(object).create();
        created.incrementAndGet();
    }

    /** What an endpoint change did: which pod's address became which new address. */
    public record EndpointChange(int service, int endpoint, String address) {
    }

    /**
     * Plans the next change of {@code service}: the next endpoint in turn gets an address never used before.
     * Call {@link #apply} with it to write it; planning first lets a caller start its clock before the write.
     */
    public synchronized EndpointChange planEndpointChange(int service) {
        int endpoint = changesPerService[service]++ % shape.endpoints();
        return new EndpointChange(service, endpoint, shape.changeIp(changes++));
    }

    /** Writes the service's EndpointSlice with the planned change applied. */
    public void apply(EndpointChange change) {
        EndpointSlice slice;
        synchronized (this) {
            addresses.get(change.service()).set(change.endpoint(), change.address());
            slice = objects.endpointSlice(change.service(), List.copyOf(addresses.get(change.service())));
        }
        client.resource(slice).update();
    }

    /** Replaces the service's VirtualService with the one at {@code revision}. */
    public void editVirtualService(int service, int revision) {
        var vs = objects.virtualService(service, revision);
        client.genericKubernetesResources(KubeConfigStore.resourceContext(ConfigKind.VIRTUAL_SERVICE))
                .inNamespace(vs.getMetadata().getNamespace()).resource(vs).update();
    }
}
