package dev.mizzen.api.identity;

import java.util.concurrent.CompletableFuture;

/**
 * Turns what a caller presented into the workload identity it proved, without blocking the caller's thread:
 * a token review may take a round trip to the apiserver. The CA implements it; the xDS server asks it.
 */
@FunctionalInterface
public interface CallerAuthenticator {
    /**
     * @return completes with the caller's identity, or exceptionally with an {@link AuthenticationException}
     *         (no credentials, refused credentials, or the apiserver unreachable)
     */
    CompletableFuture<SpiffeId> authenticate(CallerCredentials credentials);
}
