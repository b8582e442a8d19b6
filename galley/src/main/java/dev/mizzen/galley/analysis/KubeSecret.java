package dev.mizzen.galley.analysis;

import java.time.Instant;
import java.util.Objects;

/**
 * A Secret as the gateway credential check sees it: where it is and, when it holds a certificate and key Istio's
 * gateways can use, the window in which that certificate is valid. Never the key nor the certificate bytes, so
 * analysis input (kept between runs, served on debug pages) holds nothing secret. Immutable.
 *
 * @param credential the validity of its certificate; null when the Secret holds no cert/key pair or its certificate
 *                   does not parse (see {@link SecretCredentials})
 */
public record KubeSecret(String namespace, String name, Validity credential) {
    /** The window in which every certificate of a credential's first PEM block is valid, both ends included. */
    public record Validity(Instant notBefore, Instant notAfter) {
        public Validity {
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(notAfter, "notAfter");
        }

        public boolean contains(Instant t) {
            return !t.isBefore(notBefore) && !t.isAfter(notAfter);
        }
    }

    public KubeSecret {
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    /** True when a gateway can serve this Secret's certificate at {@code now} (Istio's {@code isValidSecret}). */
    public boolean usableAt(Instant now) {
        return credential != null && credential.contains(now);
    }
}
