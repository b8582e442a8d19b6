package dev.mizzen.istiod.local;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.config.KubeConfigStore;
import dev.mizzen.istiod.local.cluster.PodAdmission;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Creates or updates objects of manifests in an apiserver, and deletes them. Istio config is written at
 * the version istiod watches, whatever version the manifest names (all versions share one schema). Pods pass the
 * pod admission first (local mode: the sidecar injector), as the apiserver sends them through its webhooks. A
 * namespaced object's namespace is created when it does not exist yet (local mode is forgiving where kubectl is
 * not). A creation timestamp, when given, is asked of the apiserver (the local one keeps it for its file loader).
 */
public final class ManifestApplier {
    private final KubernetesClient client;
    private final PodAdmission pods;

    public ManifestApplier(KubernetesClient client) {
        this(client, PodAdmission.NONE);
    }

    public ManifestApplier(KubernetesClient client, PodAdmission pods) {
        this.client = client;
        this.pods = pods;
    }

    /** What an applied object is, enough to delete it later. */
    public record ObjectRef(String apiVersion, String kind, String namespace, String name) {
        /** The object's identity across versions of its kind: {@code group/kind/namespace/name}. */
        public String id() {
            int slash = apiVersion.indexOf('/');
            return (slash < 0 ? "" : apiVersion.substring(0, slash)) + "/" + kind + "/" + namespace + "/" + name;
        }

        @Override
        public String toString() {
            return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
        }
    }

    /**
     * What a document would be applied as, without writing anything.
     *
     * @throws IllegalArgumentException when the document is not an object istiod can apply, with why
     */
    public ObjectRef refOf(Manifests.Document doc) {
        if (doc.apiVersion() == null || doc.kind() == null) {
            throw new IllegalArgumentException("document has no apiVersion or kind");
        }
        if (doc.name() == null) {
            throw new IllegalArgumentException(doc.kind() + " has no metadata.name");
        }
        String namespace = doc.namespace() == null ? "default" : doc.namespace();
        Optional<ConfigKind<?>> istioKind = ConfigKind.of(doc.apiVersion(), doc.kind());
        if (istioKind.isPresent()) {
            return new ObjectRef(istioKind.get().apiVersion(istioKind.get().preferredVersion()), doc.kind(), namespace,
                    doc.name());
        }
        if (ConfigKind.isIstioGroup(doc.apiVersion())) {
            throw new IllegalArgumentException(doc.apiVersion() + " " + doc.kind() + " is not a kind Mizzen serves");
        }
        HasMetadata object = kubeObject(doc);
        return object instanceof Namespaced ? new ObjectRef(doc.apiVersion(), doc.kind(), namespace, doc.name())
                : new ObjectRef(doc.apiVersion(), doc.kind(), "", doc.name());
    }

    private HasMetadata kubeObject(Manifests.Document doc) {
        HasMetadata object = client.getKubernetesSerialization().convertValue(doc.content(), HasMetadata.class);
        if (object instanceof GenericKubernetesResource) {
            throw new IllegalArgumentException(doc.apiVersion() + " " + doc.kind() + " is not a kind Mizzen knows");
        }
        return object;
    }

    /**
     * Applies one document.
     *
     * @throws IllegalArgumentException when the document is not an object istiod can apply, with why
     */
    public ObjectRef apply(Manifests.Document doc) {
        return apply(doc, Optional.empty());
    }

    /**
     * Applies one document; a new object is asked to carry {@code created} as its creation timestamp.
     *
     * @throws IllegalArgumentException when the document is not an object istiod can apply, with why
     */
    public ObjectRef apply(Manifests.Document doc, Optional<Instant> created) {
        ObjectRef ref = refOf(doc);
        String namespace = ref.namespace();
        Optional<ConfigKind<?>> istioKind = ConfigKind.of(doc.apiVersion(), doc.kind());
        try {
            if (!namespace.isEmpty()) {
                ensureNamespace(namespace);
            }
            if (istioKind.isPresent()) {
                Map<String, Object> content = new HashMap<>(doc.content());
                content.put("apiVersion", ref.apiVersion());
                GenericKubernetesResource resource = client.getKubernetesSerialization()
                        .convertValue(content, GenericKubernetesResource.class);
                prepare(resource, namespace, created);
                client.genericKubernetesResources(KubeConfigStore.resourceContext(istioKind.get()))
                        .inNamespace(namespace).resource(resource).createOr(NonDeletingOperation::update);
                return ref;
            }
            HasMetadata object = kubeObject(doc);
            prepare(object, namespace.isEmpty() ? null : namespace, created);
            if (object instanceof Pod pod) {
                object = pods.admit(pod);
            }
            if (object instanceof Namespaced) {
                client.resource(object).inNamespace(namespace).createOr(NonDeletingOperation::update);
            } else {
                // cluster-scoped (Namespace, ClusterRole, webhook configurations): no namespace
                client.resource(object).createOr(NonDeletingOperation::update);
            }
            return ref;
        } catch (KubernetesClientException e) {
            throw new IllegalArgumentException("the apiserver refused " + ref + ": " + e.getMessage(), e);
        } catch (PodAdmission.Denied e) {
            throw new IllegalArgumentException("the apiserver refused " + ref + ": " + e.getMessage(), e);
        }
    }

    private static void prepare(HasMetadata object, String namespace, Optional<Instant> created) {
        object.getMetadata().setResourceVersion(null);
        object.getMetadata().setNamespace(namespace);
        object.getMetadata().setCreationTimestamp(created.map(Instant::toString).orElse(null));
    }

    private void ensureNamespace(String namespace) {
        if (client.namespaces().withName(namespace).get() == null) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                        .build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
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
