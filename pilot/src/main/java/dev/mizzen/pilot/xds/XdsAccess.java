package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerAuthenticator;
import dev.mizzen.pilot.security.SecretAccessReview;

import java.util.concurrent.CompletableFuture;

/**
 * Who may use the xDS server and how much: the authenticator for the authenticated port's callers, the review
 * that decides who may receive keys over SDS, and the limits every stream lives within.
 */
public record XdsAccess(CallerAuthenticator authenticator, SecretAccessReview secretAccess, XdsLimits limits) {
    /** No caller can prove an identity (every authenticated stream is refused); for servers without a CA. */
    public static final CallerAuthenticator NO_IDENTITIES = credentials -> CompletableFuture.failedFuture(
            new AuthenticationException(AuthenticationException.Kind.UNAUTHENTICATED, "this istiod has no CA"));

    /** Plaintext only: no identities, no secrets, default limits. */
    public static final XdsAccess PLAINTEXT = new XdsAccess(NO_IDENTITIES, SecretAccessReview.NOBODY, XdsLimits.DEFAULTS);
}
