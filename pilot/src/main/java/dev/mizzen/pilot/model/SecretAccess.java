package dev.mizzen.pilot.model;

/**
 * Which Kubernetes Secrets istiod may send a proxy over SDS, as Istio decides: nothing without a verified
 * identity; a verified identity may have the CA certificates ({@code kubernetes://NAME-cacert}) of its own
 * namespace, which are public, and the keys of its own namespace only when its service account may read
 * Secrets there (a SubjectAccessReview). Secrets of other namespaces are never sent.
 */
public enum SecretAccess {
    /** No verified identity (the plaintext port): no secrets at all. */
    NONE,
    /** A verified identity whose service account may not read Secrets: CA certificates of its namespace. */
    CA_CERTIFICATES,
    /** A verified identity whose service account may read Secrets of its namespace: keys too. */
    OWN_NAMESPACE;

    /** True when a Secret of {@code namespace} may be sent, as a key pair or ({@code caOnly}) its CA certificate. */
    public boolean allows(String proxyNamespace, String namespace, SecretPart part) {
        if (this == NONE || !proxyNamespace.equals(namespace)) {
            return false;
        }
        return this == OWN_NAMESPACE || part == SecretPart.CA_CERTIFICATE;
    }

    /** What of a Secret is asked for. */
    public enum SecretPart { KEY_PAIR, CA_CERTIFICATE }
}
