package dev.mizzen.istiod.local.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the local controllers write: a create of a name that exists, an update from a stale copy (409) and a delete
 * of what is gone (404) are not errors; the informer event that made the copy stale brings the key back, and the
 * next reconcile works from the newer state. Stateless.
 */
final class Writes {
    private static final Logger LOG = LoggerFactory.getLogger(Writes.class);

    private Writes() {
    }

    static void create(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                LOG.warn("cannot create {} {}/{}: {}", object.getKind(), object.getMetadata().getNamespace(),
                        object.getMetadata().getName(), e.getMessage());
            }
        }
    }

    static void update(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                LOG.warn("cannot update {} {}/{}: {}", object.getKind(), object.getMetadata().getNamespace(),
                        object.getMetadata().getName(), e.getMessage());
            }
        }
    }

    static void delete(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn("cannot delete {} {}/{}: {}", object.getKind(), object.getMetadata().getNamespace(),
                        object.getMetadata().getName(), e.getMessage());
            }
        }
    }
}
