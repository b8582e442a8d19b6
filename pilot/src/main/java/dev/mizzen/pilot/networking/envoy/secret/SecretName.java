package dev.mizzen.pilot.networking.envoy.secret;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.SecretAccess;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;

import java.util.Optional;

/**
 * An SDS resource name istiod serves, as Istio spells it: {@code kubernetes://NAME} (key pair of Secret NAME
 * in the proxy's namespace), {@code kubernetes://NAME-cacert} (its CA certificate), or either with
 * {@code NAMESPACE/NAME} for a Secret elsewhere, which is parsed so that it can be refused by name.
 *
 * @param resourceName the name as the proxy asked for it
 */
public record SecretName(String resourceName, String namespace, String name, SecretAccess.SecretPart part) {

    /** The Secret a resource name points at for this proxy, or empty when it is not a name istiod serves. */
    public static Optional<SecretName> parse(String resourceName, Proxy proxy) {
        if (!resourceName.startsWith(EnvoyNames.KUBERNETES_SECRET_PREFIX)) {
            return Optional.empty();
        }
        String ref = resourceName.substring(EnvoyNames.KUBERNETES_SECRET_PREFIX.length());
        String namespace = proxy.namespace();
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            namespace = ref.substring(0, slash);
            ref = ref.substring(slash + 1);
        }
        if (ref.isEmpty() || namespace.isEmpty() || ref.indexOf('/') >= 0) {
            return Optional.empty();
        }
        SecretAccess.SecretPart part = ref.endsWith(EnvoyNames.CA_CERT_SUFFIX)
                ? SecretAccess.SecretPart.CA_CERTIFICATE : SecretAccess.SecretPart.KEY_PAIR;
        return Optional.of(new SecretName(resourceName, namespace, ref, part));
    }

    /** True when this proxy may receive it (see {@link SecretAccess}). */
    public boolean readableBy(Proxy proxy) {
        return proxy.identity().secrets().allows(proxy.namespace(), namespace, part);
    }

    /** The Secret a {@code -cacert} name falls back to when no Secret of that name exists. */
    public String baseName() {
        return part == SecretAccess.SecretPart.CA_CERTIFICATE
                ? name.substring(0, name.length() - EnvoyNames.CA_CERT_SUFFIX.length()) : name;
    }
}
