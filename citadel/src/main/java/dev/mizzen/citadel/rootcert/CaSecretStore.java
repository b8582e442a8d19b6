package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.ca.SigningBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The self-signed root kept in the Secret {@code istio-ca-secret} of istiod's namespace, so that restarts and
 * replicas share one root. Creation is create-if-absent and replacement is optimistic (resourceVersion): a
 * replica that loses either race reads back the winner's root. Stateless; callers serialise their writes.
 */
public final class CaSecretStore {
    /** A bundle as read, with the version a replacement must match. */
    public record Stored(SigningBundle bundle, String resourceVersion) {
    }

    private final KubernetesClient client;
    private final String namespace;

    public CaSecretStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The stored root, or a new one from {@code generator} stored now; either way the one every replica uses. */
    public SigningBundle loadOrCreate(Supplier<SigningBundle> generator) {
        Optional<Stored> existing = read();
        if (existing.isPresent()) {
            return existing.get().bundle();
        }
        SigningBundle fresh = generator.get();
        try {
            client.secrets().inNamespace(namespace).resource(secret(fresh, null)).create();
            return fresh;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return read().orElseThrow(() -> new IllegalStateException(
                    "the CA Secret " + namespace + "/" + CaSecretCodec.SECRET_NAME + " conflicted on create but cannot be read"))
                    .bundle();
        }
    }

    /** @throws IllegalArgumentException when the Secret exists but holds no usable root */
    public Optional<Stored> read() {
        Secret secret = client.secrets().inNamespace(namespace).withName(CaSecretCodec.SECRET_NAME).get();
        return Optional.ofNullable(secret).map(CaSecretStore::decode);
    }

    public static Stored decode(Secret secret) {
        return new Stored(CaSecretCodec.decode(secret.getData()), secret.getMetadata().getResourceVersion());
    }

    /**
     * Replaces the stored bundle if it is still at {@code expectedVersion}.
     *
     * @return false when another writer got there first
     */
    public boolean replace(String expectedVersion, SigningBundle next) {
        try {
            client.secrets().inNamespace(namespace).resource(secret(next, expectedVersion)).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    /** Writes the bundle back after the Secret was deleted. */
    public void recreate(SigningBundle bundle) {
        try {
            client.secrets().inNamespace(namespace).resource(secret(bundle, null)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    private Secret secret(SigningBundle bundle, String resourceVersion) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(CaSecretCodec.SECRET_NAME)
                .withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .endMetadata()
                .withType(CaSecretCodec.SECRET_TYPE)
                .withData(CaSecretCodec.encode(bundle))
                .build();
    }
}
