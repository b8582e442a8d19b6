package dev.mizzen.istiod.registration;

import dev.mizzen.pilot.serviceregistry.autoregistration.WorkloadEntryStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Auto-registered WorkloadEntries in the Kubernetes API ({@code networking.istio.io/v1}), owned by their WorkloadGroup
 * as its controller (so Kubernetes deletes them with the group). Blocking calls; thread-safe as fabric8's client is.
 */
public final class KubeWorkloadEntries implements WorkloadEntryStore {
    private static final ResourceDefinitionContext ENTRIES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("WorkloadEntry").withPlural("workloadentries")
            .withNamespaced(true).build();
    private static final ResourceDefinitionContext GROUPS = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("WorkloadGroup").withPlural("workloadgroups")
            .withNamespaced(true).build();

    private final KubernetesClient client;

    public KubeWorkloadEntries(KubernetesClient client) {
        this.client = client;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Stored> get(String namespace, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(ENTRIES).inNamespace(namespace).withName(name).get();
        if (r == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations();
        Object spec = r.getAdditionalProperties().get("spec");
        Object account = spec instanceof Map<?, ?> m ? m.get("serviceAccount") : null;
        return Optional.of(new Stored(annotations, account instanceof String s ? s : ""));
    }

    @Override
    public void create(NewEntry entry) {
        GenericKubernetesResource group = client.genericKubernetesResources(GROUPS).inNamespace(entry.namespace())
                .withName(entry.group()).get();
        if (group == null) {
            throw new IllegalStateException("WorkloadGroup " + entry.namespace() + "/" + entry.group() + " is gone");
        }
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("networking.istio.io/v1");
        r.setKind("WorkloadEntry");
        r.setMetadata(new ObjectMetaBuilder().withName(entry.name()).withNamespace(entry.namespace())
                .withLabels(entry.labels()).withAnnotations(entry.annotations())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(group.getApiVersion())
                        .withKind("WorkloadGroup").withName(entry.group()).withUid(group.getMetadata().getUid())
                        .withController(true).build())
                .build());
        r.setAdditionalProperty("spec", entry.spec());
        client.genericKubernetesResources(ENTRIES).inNamespace(entry.namespace()).resource(r).create();
    }

    @Override
    public void annotate(String namespace, String name, Map<String, String> set, Set<String> remove) {
        client.genericKubernetesResources(ENTRIES).inNamespace(namespace).withName(name).edit(r -> {
            Map<String, String> annotations = new HashMap<>(r.getMetadata().getAnnotations() == null
                    ? Map.of() : r.getMetadata().getAnnotations());
            remove.forEach(annotations::remove);
            annotations.putAll(set);
            r.getMetadata().setAnnotations(annotations);
            return r;
        });
    }

    @Override
    public void delete(String namespace, String name) {
        client.genericKubernetesResources(ENTRIES).inNamespace(namespace).withName(name).delete();
    }
}
