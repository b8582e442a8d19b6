package dev.mizzen.istiod.local;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.config.KubeConfigStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Creates or updates objects of manifests in an apiserver, and deletes them. Istio config is written at
 * the version istiod watches, whatever version the manifest names (all versions share one schema).
 */
public final class ManifestApplier {
    private final KubernetesClient client;

    public ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /** What an applied object is, enough to delete it later. */
    public record ObjectRef(String apiVersion, String kind, String namespace, String name) {
        @Override
        public String toString() {
            return kind + "/" + namespace + "/" + name;
        }
    }

    /**
     * Applies one document.
     *
     * @throws IllegalArgumentException when the document is not an object istiod can apply, with why
     */
    public ObjectRef apply(Manifests.Document doc) {
        if (doc.apiVersion() == null || doc.kind() == null) {
            throw new IllegalArgumentException("document has no apiVersion or kind");
        }
        if (doc.name() == null) {
            throw new IllegalArgumentException(doc.kind() + " has no metadata.name");
        }
        String namespace = doc.namespace() == null ? "default" : doc.namespace();
        Optional<ConfigKind<?>> istioKind = ConfigKind.of(doc.apiVersion(), doc.kind());
        try {
            if (istioKind.isPresent()) {
                Map<String, Object> content = new HashMap<>(doc.content());
                content.put("apiVersion", istioKind.get().apiVersion(istioKind.get().preferredVersion()));
                GenericKubernetesResource resource = client.getKubernetesSerialization()
                        .convertValue(content, GenericKubernetesResource.class);
                resource.getMetadata().setNamespace(namespace);
                resource.getMetadata().setResourceVersion(null);
                client.genericKubernetesResources(KubeConfigStore.resourceContext(istioKind.get()))
                        .inNamespace(namespace).resource(resource).createOr(NonDeletingOperation::update);
                return new ObjectRef(resource.getApiVersion(), doc.kind(), namespace, doc.name());
            }
            if (ConfigKind.isIstioGroup(doc.apiVersion())) {
                throw new IllegalArgumentException(doc.apiVersion() + " " + doc.kind() + " is not a kind Mizzen serves");
            }
            HasMetadata object = client.getKubernetesSerialization().convertValue(doc.content(), HasMetadata.class);
            if (object instanceof GenericKubernetesResource) {
                throw new IllegalArgumentException(doc.apiVersion() + " " + doc.kind() + " is not a kind Mizzen knows");
            }
            object.getMetadata().setResourceVersion(null);
            if (object instanceof Namespaced) {
                object.getMetadata().setNamespace(namespace);
                client.resource(object).inNamespace(namespace).createOr(NonDeletingOperation::update);
                return new ObjectRef(doc.apiVersion(), doc.kind(), namespace, doc.name());
            }
            // cluster-scoped (Namespace, ClusterRole, webhook configurations): no namespace
            object.getMetadata().setNamespace(null);
            client.resource(object).createOr(NonDeletingOperation::update);
            return new ObjectRef(doc.apiVersion(), doc.kind(), "", doc.name());
        } catch (KubernetesClientException e) {
            throw new IllegalArgumentException("the apiserver refused " + doc.kind() + " " + namespace + "/" + doc.name()
                    + ": " + e.getMessage(), e);
        }
    }

    public void delete(ObjectRef ref) {
        Optional<ConfigKind<?>> istioKind = ConfigKind.of(ref.apiVersion(), ref.kind());
        if (istioKind.isPresent()) {
            client.genericKubernetesResources(KubeConfigStore.resourceContext(istioKind.get()))
                    .inNamespace(ref.namespace()).withName(ref.name()).delete();
        } else {
            HasMetadata stub = client.getKubernetesSerialization().convertValue(Map.of(
                    "apiVersion", ref.apiVersion(), "kind", ref.kind(), "metadata", Map.of("name", ref.name())), HasMetadata.class);
            if (stub instanceof Namespaced) {
                client.resource(stub).inNamespace(ref.namespace()).delete();
            } else {
                client.resource(stub).delete();
            }
        }
    }
}
