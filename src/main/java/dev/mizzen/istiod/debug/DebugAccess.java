package dev.mizzen.istiod.debug;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerAuthenticator;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.pilot.xds.XdsDebug;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who may read the HTTP debug endpoints: Istio's {@code allowAuthenticatedOrLocalhost}. A caller on this machine
 * (loopback) sees everything. Anyone else must prove a workload identity the way xDS callers do, with a
 * service-account token ({@code Authorization: Bearer}, audience {@code istio-ca}) or a mesh client certificate
 * when the connection is TLS; istiod's own namespace sees everything, another namespace only Istio's
 * per-namespace endpoints ({@code config_dump}, {@code ndsz}, {@code edsz}) for its own proxies.
 *
 * <p>Thread-safe; blocks the caller's thread while a token review is in flight (bounded by {@link #TIMEOUT}).
 */
public final class DebugAccess {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CallerAuthenticator authenticator;
    private final String systemNamespace;

    public DebugAccess(CallerAuthenticator authenticator, String systemNamespace) {
        this.authenticator = authenticator;
        this.systemNamespace = systemNamespace;
    }

    /** Either allowed (maybe narrowed to a namespace) or refused with a status and a short reason. */
    public record Decision(boolean allowed, Optional<String> namespace, int status, String reason) {
        static Decision all() {
            return new Decision(true, Optional.empty(), 200, "");
        }

        static Decision refused(int status, String reason) {
            return new Decision(false, Optional.empty(), status, reason);
        }
    }

    public Decision check(InetAddress remote, Optional<String> authorization, List<X509Certificate> peerChain,
                          String endpoint) {
        if (remote != null && remote.isLoopbackAddress()) {
            return Decision.all();
        }
        if (authorization.isEmpty() && peerChain.isEmpty()) {
            return Decision.refused(401, "authentication required: a service-account token (Authorization: Bearer) "
                    + "or a mesh certificate, or ask from this machine");
        }
        SpiffeId id;
        try {
            id = authenticator.authenticate(new CallerCredentials(authorization, peerChain))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // as Istio, no detail to the caller
            return Decision.refused(e.getCause() instanceof AuthenticationException ? 401 : 503, "authentication failure");
        } catch (TimeoutException e) {
            return Decision.refused(503, "authentication timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Decision.refused(503, "interrupted");
        }
        if (id.namespace().equals(systemNamespace)) {
            return Decision.all();
        }
        if (!XdsDebug.NAMESPACE_DEBUGGERS.contains(endpoint)) {
            return Decision.refused(403, "the debug info is not available for namespace " + id.namespace());
        }
        return new Decision(true, Optional.of(id.namespace()), 200, "");
    }
}
