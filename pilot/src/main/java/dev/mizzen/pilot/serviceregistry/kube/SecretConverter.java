package dev.mizzen.pilot.serviceregistry.kube;

import dev.mizzen.pilot.model.TlsCredential;
import io.fabric8.kubernetes.api.model.Secret;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a TLS credential out of a Kubernetes Secret the way Istio's gateways accept it: {@code tls.crt} /
 * {@code tls.key} (and {@code ca.crt}), or the generic {@code cert} / {@code key} (and {@code cacert}).
 * Secrets that hold neither are not credentials. Pure.
 */
final class SecretConverter {
    private SecretConverter() {
    }

    static Optional<TlsCredential> convert(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        byte[] cert = first(data, "tls.crt", "cert");
        byte[] key = first(data, "tls.key", "key");
        byte[] ca = first(data, "ca.crt", "cacert");
        if (cert == null && ca == null) {
            return Optional.empty();
        }
        return Optional.of(new TlsCredential(secret.getMetadata().getNamespace(), secret.getMetadata().getName(),
                cert, key, ca));
    }

    private static byte[] first(Map<String, String> data, String... keys) {
        for (String k : keys) {
            String value = data.get(k);
            if (value != null) {
                try {
                    return Base64.getDecoder().decode(value.trim());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
