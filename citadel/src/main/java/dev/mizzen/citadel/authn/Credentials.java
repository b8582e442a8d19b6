package dev.mizzen.citadel.authn;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a caller presented, as the transport saw it.
 *
 * @param authorization the {@code authorization} header, if any (e.g. {@code Bearer <jwt>})
 * @param peerChain     the client certificate chain of the TLS handshake, leaf first; empty without one
 */
public record Credentials(Optional<String> authorization, List<X509Certificate> peerChain) {
    public Credentials {
        peerChain = List.copyOf(peerChain);
    }

    public static Credentials none() {
        return new Credentials(Optional.empty(), List.of());
    }

    public static Credentials bearer(String token) {
        return new Credentials(Optional.of("Bearer " + token), List.of());
    }

    public static Credentials clientCertificate(List<X509Certificate> chain) {
        return new Credentials(Optional.empty(), chain);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "Credentials[authorization " + (authorization.isPresent() ? "present" : "absent") + ", "
                + peerChain.size() + " peer certificates]";
    }
}
