package dev.mizzen.istiod.local.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps each Service's managed EndpointSlices equal to {@link EndpointSlices#desired}: creates the missing,
 * updates the changed, deletes the rest. Slices that another controller manages (or a user wrote) are left alone,
 * as Kubernetes' controller leaves them.
 *
 * <p>Threading: called on the local cluster's one worker thread only.
 */
final class EndpointSliceController {
    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<EndpointSlice> slices;

    EndpointSliceController(KubernetesClient client, SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods,
                            SharedIndexInformer<EndpointSlice> slices) {
        this.client = client;
        this.services = services;
        this.pods = pods;
        this.slices = slices;
    }

    void service(String namespace, String name) {
        Service service = services.getStore().getByKey(namespace + "/" + name);
        List<EndpointSlice> desired = service == null ? List.of()
                : EndpointSlices.desired(service, pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
        Map<String, EndpointSlice> existing = new HashMap<>();
        for (EndpointSlice slice : slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels != null && name.equals(labels.get(EndpointSlices.SERVICE_NAME_LABEL))
                    && EndpointSlices.MANAGED_BY.equals(labels.get(EndpointSlices.MANAGED_BY_LABEL))) {
                existing.put(slice.getMetadata().getName(), slice);
            }
        }
        for (EndpointSlice want : desired) {
            EndpointSlice have = existing.remove(want.getMetadata().getName());
            if (have == null) {
                Writes.create(client, want);
            } else if (!same(have, want)) {
                want.getMetadata().setResourceVersion(have.getMetadata().getResourceVersion());
                Writes.update(client, want);
            }
        }
        existing.values().forEach(stale -> Writes.delete(client, stale));
    }

    private static boolean same(EndpointSlice a, EndpointSlice b) {
        return Objects.equals(a.getEndpoints(), b.getEndpoints()) && Objects.equals(a.getPorts(), b.getPorts())
                && Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                && Objects.equals(a.getMetadata().getOwnerReferences(), b.getMetadata().getOwnerReferences())
                && Objects.equals(a.getAddressType(), b.getAddressType());
    }

    /** The Services of a namespace, whose slices a pod change may touch. */
    List<String> servicesIn(String namespace) {
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .map(s -> s.getMetadata().getName()).toList();
    }
}
