package dev.mizzen.istiod.local.cluster;

import dev.mizzen.api.kube.KeyedWorkQueue;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.istiod.local.LocalState;
import dev.mizzen.istiod.local.apiserver.Cidr;
import dev.mizzen.istiod.local.apiserver.IpAllocator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The controllers a cluster runs besides its apiserver, small and in-process, so that local mode behaves like a
 * cluster: Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs make Pods ({@link Workloads}); the one
 * node's scheduler and kubelet give pods an address and make them Ready ({@link Kubelet}); the EndpointSlice
 * controller keeps Services' endpoints ({@link EndpointSlices}); every namespace has a {@code default}
 * ServiceAccount; dependents of a deleted owner are collected; the CA's root is saved in the state directory. Pods
 * pass the sidecar injector's admission ({@link InjectingAdmission}) on their way in.
 *
 * <p>Threading: informer handlers (fabric8's threads) only add keys; one worker ({@link KeyedWorkQueue},
 * "mizzen-local-cluster") reconciles every key from the informers' caches, so the controllers need no locks and
 * never run at once.
 */
public final class LocalCluster implements AutoCloseable {
    /** The one node's name. */
    public static final String NODE = "local";
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param podRange        the loopback block pod IPs come from
     * @param istiodNamespace where the injector's ConfigMaps and the CA Secret are
     */
    public record Settings(Cidr podRange, String istiodNamespace) {
        /** 127.1.0.0/16: loopback (every 127/8 address answers on Linux), apart from 127.0.0.x that tools use. */
        public static final Cidr DEFAULT_POD_RANGE = Cidr.parse("127.1.0.0/16");

        public Settings {
            if (!podRange.isLoopback()) {
                throw new IllegalArgumentException("the pod range must be loopback (127.0.0.0/8), not " + podRange);
            }
        }

        public static Settings defaults(String istiodNamespace) {
            return new Settings(DEFAULT_POD_RANGE, istiodNamespace);
        }
    }

    private final KubeInformers informers;
    private final KeyedWorkQueue<Key> queue;
    private final PodAdmission admission;

    private LocalCluster(KubeInformers informers, KeyedWorkQueue<Key> queue, PodAdmission admission) {
        this.informers = informers;
        this.queue = queue;
        this.admission = admission;
    }

    /**
     * Starts the controllers on {@code client}'s apiserver and returns once their informers have listed it.
     *
     * @param state where the CA's root is saved, if anywhere
     */
    public static LocalCluster start(KubernetesClient client, Settings settings, Optional<LocalState> state) {
        KubeInformers informers = new KubeInformers(client);
        PodAdmission admission = InjectingAdmission.start(informers, client, settings.istiodNamespace());
        SharedIndexInformer<Deployment> deployments = informers.of(Deployment.class);
        SharedIndexInformer<ReplicaSet> replicaSets = informers.of(ReplicaSet.class);
        SharedIndexInformer<StatefulSet> statefulSets = informers.of(StatefulSet.class);
        SharedIndexInformer<DaemonSet> daemonSets = informers.of(DaemonSet.class);
        SharedIndexInformer<Job> jobs = informers.of(Job.class);
        SharedIndexInformer<Pod> pods = informers.of(Pod.class);
        SharedIndexInformer<Service> services = informers.of(Service.class);
        SharedIndexInformer<EndpointSlice> slices = informers.of(EndpointSlice.class);
        SharedIndexInformer<Namespace> namespaces = informers.of(Namespace.class);
        SharedIndexInformer<ServiceAccount> serviceAccounts = informers.of(ServiceAccount.class);
        Optional<SharedIndexInformer<Secret>> caSecret = state.map(s -> informers.of(Secret.class,
                KubeInformers.Selection.inNamespace(settings.istiodNamespace()).withField("metadata.name", "istio-ca-secret")));

        Workloads workloads = new Workloads(client, admission, deployments, replicaSets, statefulSets, daemonSets, jobs, pods,
                NODE);
        Kubelet kubelet = new Kubelet(client, pods, new IpAllocator(settings.podRange()), NODE, Clock.systemUTC());
        EndpointSliceController endpoints = new EndpointSliceController(client, services, pods, slices);
        Housekeeping housekeeping = new Housekeeping(client, namespaces, serviceAccounts, replicaSets, pods, slices, caSecret,
                state);
        KeyedWorkQueue<Key> queue = new KeyedWorkQueue<>("mizzen-local-cluster", key -> {
            switch (key.kind()) {
                case DEPLOYMENT -> workloads.deployment(key.namespace(), key.name());
                case REPLICA_SET -> workloads.replicaSet(key.namespace(), key.name());
                case STATEFUL_SET -> workloads.statefulSet(key.namespace(), key.name());
                case DAEMON_SET -> workloads.daemonSet(key.namespace(), key.name());
                case JOB -> workloads.job(key.namespace(), key.name());
                case POD -> kubelet.pod(key.namespace(), key.name());
                case SERVICE -> endpoints.service(key.namespace(), key.name());
                case NAMESPACE -> housekeeping.namespace(key.name());
                case ORPHANS -> housekeeping.orphans(key.namespace(), key.name());
                case CA_SECRET -> housekeeping.caSecret(key.namespace() + "/" + key.name());
            }
        });

        handle(queue, deployments, d -> List.of(key(Key.Kind.DEPLOYMENT, d)));
        handle(queue, replicaSets, rs -> withOwner(List.of(key(Key.Kind.REPLICA_SET, rs)), rs));
        handle(queue, statefulSets, s -> List.of(key(Key.Kind.STATEFUL_SET, s)));
        handle(queue, daemonSets, d -> List.of(key(Key.Kind.DAEMON_SET, d)));
        handle(queue, jobs, j -> List.of(key(Key.Kind.JOB, j)));
        handle(queue, pods, p -> {
            List<Key> keys = new ArrayList<>(withOwner(List.of(key(Key.Kind.POD, p)), p));
            // a pod's labels, address or readiness may change any Service's slices in its namespace
            endpoints.servicesIn(p.getMetadata().getNamespace())
                    .forEach(s -> keys.add(new Key(Key.Kind.SERVICE, p.getMetadata().getNamespace(), s)));
            return keys;
        });
        handle(queue, services, s -> List.of(key(Key.Kind.SERVICE, s)));
        handle(queue, slices, s -> {
            Map<String, String> labels = s.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(EndpointSlices.SERVICE_NAME_LABEL);
            return service == null ? List.of() : List.of(new Key(Key.Kind.SERVICE, s.getMetadata().getNamespace(), service));
        });
        handle(queue, namespaces, n -> List.of(new Key(Key.Kind.NAMESPACE, "", n.getMetadata().getName())));
        handle(queue, serviceAccounts, sa -> List.of(new Key(Key.Kind.NAMESPACE, "", sa.getMetadata().getNamespace())));
        caSecret.ifPresent(informer -> handle(queue, informer, s -> List.of(key(Key.Kind.CA_SECRET, s))));

        informers.start();
        LocalCluster cluster = new LocalCluster(informers, queue, admission);
        try {
            cluster.awaitSync();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                    .withLabels(Map.of("kubernetes.io/hostname", NODE, "kubernetes.io/os", "linux")).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress(Kubelet.HOST_IP).endAddress()
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                    .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static Key key(Key.Kind kind, HasMetadata object) {
        return new Key(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The key of the object's controlling owner, when it is one of the workload kinds. */
    private static List<Key> withOwner(List<Key> keys, HasMetadata object) {
        List<Key> out = new ArrayList<>(keys);
        if (object.getMetadata().getOwnerReferences() != null) {
            object.getMetadata().getOwnerReferences().stream()
                    .filter(r -> Boolean.TRUE.equals(r.getController()))
                    .forEach(r -> {
                        Key.Kind kind = switch (r.getKind()) {
                            case "Deployment" -> Key.Kind.DEPLOYMENT;
                            case "ReplicaSet" -> Key.Kind.REPLICA_SET;
                            case "StatefulSet" -> Key.Kind.STATEFUL_SET;
                            case "DaemonSet" -> Key.Kind.DAEMON_SET;
                            case "Job" -> Key.Kind.JOB;
                            default -> null;
                        };
                        if (kind != null) {
                            out.add(new Key(kind, object.getMetadata().getNamespace(), r.getName()));
                        }
                    });
        }
        return out;
    }

    /** Handlers that only enqueue: the keys of the old and the new object, and on delete the owner's dependents. */
    private static <T extends HasMetadata> void handle(KeyedWorkQueue<Key> queue, SharedIndexInformer<T> informer,
                                                       Function<T, List<Key>> keys) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                keys.apply(obj).forEach(queue::add);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                keys.apply(oldObj).forEach(queue::add);
                keys.apply(newObj).forEach(queue::add);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                keys.apply(obj).forEach(queue::add);
                if (obj.getMetadata().getUid() != null) {
                    queue.add(new Key(Key.Kind.ORPHANS, obj.getMetadata().getNamespace(), obj.getMetadata().getUid()));
                }
            }
        });
    }

    private void awaitSync() {
        Instant deadline = Instant.now().plus(SYNC_TIMEOUT);
        while (!informers.hasSynced()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the local apiserver did not answer the controllers' lists within "
                        + SYNC_TIMEOUT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the controllers listed the apiserver", e);
            }
        }
    }

    /** The admission pods pass on their way in: for pods written in files too. */
    public PodAdmission podAdmission() {
        return admission;
    }

    /** Runs {@code task} once every key added before this call has been reconciled (tests). */
    public void afterPending(Runnable task) {
        queue.execute(task);
    }

    @Override
    public void close() {
        queue.close();
        informers.close();
    }
}
