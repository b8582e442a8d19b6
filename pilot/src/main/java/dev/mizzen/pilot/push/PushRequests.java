package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.pilot.security.authn.JwksSnapshot;

/** What push each change calls for: the one place where the sources' events become push requests. Pure. */
public final class PushRequests {
    private PushRequests() {
    }

    public static PushRequest of(ChangeEvent event) {
        if (event instanceof ChangeEvent.ConfigChanged c) {
            return PushRequest.config(c.key());
        }
        if (event instanceof ChangeEvent.ServiceChanged s) {
            return PushRequest.service(s.hostname());
        }
        if (event instanceof ChangeEvent.EndpointsChanged e) {
            return PushRequest.endpoints(e.hostname());
        }
        if (event instanceof ChangeEvent.JwksChanged j) {
            return PushRequest.jwks(JwksSnapshot.key(j.issuer(), j.jwksUri()));
        }
        // a Secret: SDS answers and the listeners that name it; a full push, as Istio's
        return PushRequest.full("secret");
    }
}
