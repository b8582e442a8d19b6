package dev.mizzen.citadel.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A signing key and its certificate. {@link #toString()} never shows the key. */
public record Issuer(PrivateKey key, X509Certificate certificate) {
    public Issuer {
        if (!Pem.matches(key, certificate)) {
            throw new IllegalArgumentException("the signing key does not belong to " + certificate.getSubjectX500Principal());
        }
    }

    @Override
    public String toString() {
        return "Issuer[" + certificate.getSubjectX500Principal() + ", serial " + certificate.getSerialNumber().toString(16)
                + ", key redacted]";
    }
}
