package dev.mizzen.api.identity;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a caller presented, as the transport saw it.
 *
 * @param authorization the {@code authorization} header, if any (e.g. {@code Bearer <jwt>})
 * @param peerChain     the client certificate chain of the TLS handshake, leaf first; empty without one
 */
public record CallerCredentials(Optional<String> authorization, List<X509Certificate> peerChain) {
    public CallerCredentials {
        peerChain = List.copyOf(peerChain);
    }

    public static CallerCredentials none() {
        return new CallerCredentials(Optional.empty(), List.of());
    }

    public static CallerCredentials bearer(String token) {
        return new CallerCredentials(Optional.of("Bearer " + token), List.of());
    }

    public static CallerCredentials clientCertificate(List<X509Certificate> chain) {
        return new CallerCredentials(Optional.empty(), chain);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "CallerCredentials[authorization " + (authorization.isPresent() ? "present" : "absent") + ", "
                + peerChain.size() + " peer certificates]";
    }
}
