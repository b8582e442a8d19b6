package dev.mizzen.istiod.inject;

import dev.mizzen.api.kube.KubeInformers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Map;
import java.util.function.Function;

/**
 * The labels of each namespace, which decide injection ({@code istio-injection}, {@code istio.io/rev}): read
 * from the process's one namespace informer, which the CA's root publisher watches too.
 *
 * <p>Threading: the informer's cache is thread-safe; webhook threads read it.
 */
public final class NamespaceLabels implements Function<String, Map<String, String>> {
    private final SharedIndexInformer<Namespace> namespaces;

    public NamespaceLabels(KubeInformers informers) {
        this.namespaces = informers.of(Namespace.class);
    }

    @Override
    public Map<String, String> apply(String namespace) {
        Namespace ns = namespaces.getStore().getByKey(namespace);
        Map<String, String> labels = ns == null ? null : ns.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
