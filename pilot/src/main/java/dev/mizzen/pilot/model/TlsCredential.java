package dev.mizzen.pilot.model;

/**
 * A TLS credential from a Kubernetes Secret, as gateways name it with {@code credentialName}: PEM
 * certificate chain and key, and optionally a CA certificate for verifying clients (MUTUAL).
 */
public record TlsCredential(String namespace, String name, byte[] certificateChain, byte[] privateKey, byte[] caCertificate) {
    public boolean hasCertificate() {
        return certificateChain != null && privateKey != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsCredential c && namespace.equals(c.namespace) && name.equals(c.name)
                && java.util.Arrays.equals(certificateChain, c.certificateChain)
                && java.util.Arrays.equals(privateKey, c.privateKey)
                && java.util.Arrays.equals(caCertificate, c.caCertificate);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(namespace, name, java.util.Arrays.hashCode(certificateChain));
    }

    /** Never print key material. */
    @Override
    public String toString() {
        return "TlsCredential[" + namespace + "/" + name + "]";
    }
}
