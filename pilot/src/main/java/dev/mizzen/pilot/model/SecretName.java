package dev.mizzen.pilot.model;

import java.util.Optional;

/**
 * An SDS resource name istiod serves, as Istio spells it: {@code kubernetes://NAME} (key pair of Secret NAME
 * in the proxy's namespace), {@code kubernetes://NAME-cacert} (its CA certificate), or either with
 * {@code NAMESPACE/NAME} for a Secret elsewhere, which is parsed so that it can be refused by name.
 *
 * @param resourceName the name as the proxy asked for it
 */
public record SecretName(String resourceName, String namespace, String name, SecretAccess.SecretPart part) {
    /** What every SDS name istiod serves from a Kubernetes Secret starts with. */
    public static final String PREFIX = "kubernetes://";
    /** What a name of a Secret's CA certificate ends with. */
    public static final String CA_SUFFIX = "-cacert";

    /** The Secret a resource name points at for this proxy, or empty when it is not a name istiod serves. */
    public static Optional<SecretName> parse(String resourceName, Proxy proxy) {
        if (!resourceName.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String ref = resourceName.substring(PREFIX.length());
        String namespace = proxy.namespace();
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            namespace = ref.substring(0, slash);
            ref = ref.substring(slash + 1);
        }
        if (ref.isEmpty() || namespace.isEmpty() || ref.indexOf('/') >= 0) {
            return Optional.empty();
        }
        SecretAccess.SecretPart part = ref.endsWith(CA_SUFFIX)
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
                ? name.substring(0, name.length() - CA_SUFFIX.length()) : name;
    }
}
