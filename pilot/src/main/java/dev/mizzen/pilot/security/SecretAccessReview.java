package dev.mizzen.pilot.security;

import dev.mizzen.api.identity.SpiffeId;

import java.util.concurrent.CompletableFuture;

/**
 * Whether a workload identity's service account may read the Secrets of its own namespace: what Istio asks
 * (a SubjectAccessReview, verb {@code list}, resource {@code secrets}) before it sends a proxy a key over SDS.
 */
@FunctionalInterface
public interface SecretAccessReview {
    /** Nobody may: for istiod without an apiserver to ask, and for tests. */
    SecretAccessReview NOBODY = id -> CompletableFuture.completedFuture(false);

    /** Completes with the answer; an apiserver that cannot be asked counts as "no". Never blocks the caller. */
    CompletableFuture<Boolean> mayReadSecrets(SpiffeId identity);
}
