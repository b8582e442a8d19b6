package dev.mizzen.istiod.inject;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The labels of every namespace ({@code istio-injection}, {@code istio.io/rev}), which the injection webhook
 * needs and the AdmissionReview does not carry. An unknown namespace has no labels.
 *
 * <p>Threading: the informer's thread writes the concurrent map; webhook threads read it.
 */
public final class NamespaceLabels implements Function<String, Map<String, String>>, AutoCloseable {
    private final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();
    private SharedIndexInformer<Namespace> informer;

    public static NamespaceLabels start(KubernetesClient client) {
        NamespaceLabels out = new NamespaceLabels();
        out.informer = client.namespaces().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace obj) {
                out.put(obj);
            }

            @Override
            public void onUpdate(Namespace oldObj, Namespace newObj) {
                out.put(newObj);
            }

            @Override
            public void onDelete(Namespace obj, boolean deletedFinalStateUnknown) {
                out.labels.remove(obj.getMetadata().getName());
            }
        }, 0);
        return out;
    }

    private void put(Namespace ns) {
        Map<String, String> l = ns.getMetadata().getLabels();
        labels.put(ns.getMetadata().getName(), l == null ? Map.of() : Map.copyOf(l));
    }

    @Override
    public Map<String, String> apply(String namespace) {
        return labels.getOrDefault(namespace, Map.of());
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
