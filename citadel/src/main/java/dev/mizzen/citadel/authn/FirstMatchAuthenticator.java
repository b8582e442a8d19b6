package dev.mizzen.citadel.authn;

import dev.mizzen.citadel.identity.SpiffeId;

import java.util.List;
import java.util.Optional;

/**
 * Tries authenticators in order (client certificate first: it costs no apiserver call) and returns the first
 * identity. When none succeeds, the failure of the last one that recognised the credentials is reported, so a
 * caller that sent a token hears about its token.
 */
public final class FirstMatchAuthenticator implements Authenticator {
    private final List<Authenticator> chain;

    public FirstMatchAuthenticator(List<Authenticator> chain) {
        this.chain = List.copyOf(chain);
    }

    @Override
    public Optional<SpiffeId> authenticate(Credentials credentials) {
        AuthenticationException last = null;
        for (Authenticator authenticator : chain) {
            try {
                Optional<SpiffeId> id = authenticator.authenticate(credentials);
                if (id.isPresent()) {
                    return id;
                }
            } catch (AuthenticationException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new AuthenticationException(AuthenticationException.Kind.UNAUTHENTICATED,
                "no credentials: send \"authorization: Bearer <service account token>\" or a client certificate "
                        + "issued by this CA");
    }
}
