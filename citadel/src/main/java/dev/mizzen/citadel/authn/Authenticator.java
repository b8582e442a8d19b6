package dev.mizzen.citadel.authn;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;

import java.util.Optional;

/** Turns a caller's credentials into the one identity it may get a certificate for. */
public interface Authenticator {
    /**
     * @return the caller's identity, or empty when these credentials are not of this authenticator's kind
     * @throws AuthenticationException when they are of its kind but do not hold
     */
    Optional<SpiffeId> authenticate(CallerCredentials credentials);
}
