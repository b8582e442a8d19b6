package dev.mizzen.api.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The process's informers, one per kind and selection: components ask for what they watch, add their handlers
 * and indexers, and the informers start together once everyone has asked. Asking twice for the same kind and
 * selection gets the same informer, so one watch and one cache serve every component (istiod's namespaces, for
 * one, are watched once for the injector and the CA alike).
 *
 * <p>Threading: asking and starting happen on istiod's start-up thread; informers then run on fabric8's threads.
 */
public final class KubeInformers implements AutoCloseable {
    /**
     * What part of a kind an informer watches: a namespace (or all) and field selectors, as the apiserver
     * filters them, so objects we never use are never sent nor cached.
     *
     * @param namespace the namespace, or null for all
     * @param fields    field selectors that must match ({@code metadata.name=istio-ca-root-cert})
     * @param notFields values each field must not have ({@code type!=kubernetes.io/service-account-token})
     */
    public record Selection(String namespace, Map<String, String> fields, Map<String, Set<String>> notFields) {
        public static final Selection ALL = new Selection(null, Map.of(), Map.of());

        public Selection {
            fields = Collections.unmodifiableMap(new TreeMap<>(fields));
            Map<String, Set<String>> not = new TreeMap<>();
            notFields.forEach((field, values) -> not.put(field, Collections.unmodifiableSet(new TreeSet<>(values))));
            notFields = Collections.unmodifiableMap(not);
        }

        public static Selection inNamespace(String namespace) {
            return new Selection(namespace, Map.of(), Map.of());
        }

        public Selection withField(String field, String value) {
            Map<String, String> more = new TreeMap<>(fields);
            more.put(field, value);
            return new Selection(namespace, more, notFields);
        }

        public Selection withoutField(String field, String value) {
            Map<String, Set<String>> more = new TreeMap<>(notFields);
            Set<String> values = new TreeSet<>(more.getOrDefault(field, Set.of()));
            values.add(value);
            more.put(field, values);
            return new Selection(namespace, fields, more);
        }
    }

    private record Key(String kind, Selection selection) {
    }

    private final KubernetesClient client;
    private final Map<Key, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
    private boolean started;

    public KubeInformers(KubernetesClient client) {
        this.client = client;
    }

    /** Every object of a built-in kind, in every namespace. */
    public <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type) {
        return of(type, Selection.ALL);
    }

    /** The objects of a built-in kind that the selection picks. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type, Selection selection) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(new Key(type.getName(), selection),
                k -> created(select(client.resources(type), selection).runnableInformer(0)));
    }

    /** Every object of a custom resource (Istio's config kinds), in every namespace. */
    public synchronized SharedIndexInformer<GenericKubernetesResource> of(ResourceDefinitionContext crd) {
        @SuppressWarnings("unchecked")
        SharedIndexInformer<GenericKubernetesResource> informer = (SharedIndexInformer<GenericKubernetesResource>)
                informers.computeIfAbsent(new Key(crd.getGroup() + "/" + crd.getKind(), Selection.ALL),
                        k -> created(client.genericKubernetesResources(crd).inAnyNamespace().runnableInformer(0)));
        return informer;
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> FilterWatchListDeletable<T, L, Resource<T>>
    select(io.fabric8.kubernetes.client.dsl.MixedOperation<T, L, Resource<T>> all, Selection selection) {
        FilterWatchListDeletable<T, L, Resource<T>> out = selection.namespace() == null
                ? all.inAnyNamespace() : all.inNamespace(selection.namespace());
        for (var f : selection.fields().entrySet()) {
            out = out.withField(f.getKey(), f.getValue());
        }
        for (var f : selection.notFields().entrySet()) {
            for (String value : f.getValue()) {
                out = out.withoutField(f.getKey(), value);
            }
        }
        return out;
    }

    /** An informer asked for after the start runs at once. */
    private <T> SharedIndexInformer<T> created(SharedIndexInformer<T> informer) {
        if (started) {
            informer.start();
        }
        return informer;
    }

    /** Starts every informer asked for so far (they list, then watch); returns without waiting for the lists. */
    public synchronized void start() {
        started = true;
        for (SharedIndexInformer<?> informer : informers.values()) {
            if (!informer.isRunning()) {
                informer.start();
            }
        }
    }

    /** True when every informer has its initial list. */
    public synchronized boolean hasSynced() {
        return started && informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** What is watched, one line per informer: for logs and the architecture notes. */
    public synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        informers.keySet().forEach(k -> out.add(k.kind() + " " + k.selection()));
        return out;
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}
