package dev.mizzen.pilot.model;

import dev.mizzen.api.identity.SpiffeId;

import java.util.Objects;
import java.util.Optional;

/**
 * What a proxy proved about itself when it connected: the workload identity of its client certificate or
 * service-account token (empty on the plaintext port), and so which Secrets it may receive.
 */
public record ProxyIdentity(Optional<SpiffeId> verified, SecretAccess secrets) {
    /** A proxy on the plaintext port: it proved nothing and gets no secrets. */
    public static final ProxyIdentity ANONYMOUS = new ProxyIdentity(Optional.empty(), SecretAccess.NONE);

    public ProxyIdentity {
        Objects.requireNonNull(verified, "verified");
        Objects.requireNonNull(secrets, "secrets");
        if (verified.isEmpty() && secrets != SecretAccess.NONE) {
            throw new IllegalArgumentException("a proxy without a verified identity gets no secrets");
        }
    }

    public static ProxyIdentity verified(SpiffeId id, SecretAccess secrets) {
        return new ProxyIdentity(Optional.of(id), secrets);
    }

    @Override
    public String toString() {
        return verified.map(id -> id.uri() + " (secrets: " + secrets + ")").orElse("anonymous");
    }
}
