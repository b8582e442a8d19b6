package dev.mizzen.istiod.local.cluster;

import dev.mizzen.istiod.local.LocalState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The small controllers: the service-account controller (a {@code default} ServiceAccount in every namespace), the
 * garbage collector (when an owner goes, the ReplicaSets, Pods and EndpointSlices it controlled go too) and the
 * keeper of the CA's root (the Secret {@code istio-ca-secret} saved to the state directory whenever it changes).
 *
 * <p>Threading: called on the local cluster's one worker thread only.
 */
final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ServiceAccount> serviceAccounts;
    private final List<SharedIndexInformer<? extends HasMetadata>> dependents;
    private final Optional<SharedIndexInformer<Secret>> caSecret;
    private final Optional<LocalState> state;

    Housekeeping(KubernetesClient client, SharedIndexInformer<Namespace> namespaces,
                 SharedIndexInformer<ServiceAccount> serviceAccounts, SharedIndexInformer<ReplicaSet> replicaSets,
                 SharedIndexInformer<Pod> pods, SharedIndexInformer<EndpointSlice> slices,
                 Optional<SharedIndexInformer<Secret>> caSecret, Optional<LocalState> state) {
        this.client = client;
        this.namespaces = namespaces;
        this.serviceAccounts = serviceAccounts;
        this.dependents = List.of(replicaSets, pods, slices);
        this.caSecret = caSecret;
        this.state = state;
    }

    void namespace(String name) {
        Namespace ns = namespaces.getStore().getByKey(name);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        if (serviceAccounts.getStore().getByKey(name + "/default") == null) {
            Writes.create(client, new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(name)
                    .endMetadata().build());
        }
    }

    /** Deletes what the owner with {@code uid} controlled in {@code namespace}. */
    void orphans(String namespace, String uid) {
        for (SharedIndexInformer<? extends HasMetadata> informer : dependents) {
            for (HasMetadata dependent : Workloads.owned(informer, namespace, uid)) {
                Writes.delete(client, dependent);
            }
        }
    }

    void caSecret(String key) {
        if (caSecret.isEmpty() || state.isEmpty()) {
            return;
        }
        Secret secret = caSecret.get().getStore().getByKey(key);
        if (secret != null && secret.getData() != null && !secret.getData().isEmpty()) {
            state.get().saveCaSecret(secret.getData());
            LOG.debug("saved {} to {}", key, state.get().dir());
        }
    }
}
