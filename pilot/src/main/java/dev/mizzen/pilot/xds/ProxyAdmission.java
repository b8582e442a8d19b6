package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerAuthenticator;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.api.logging.ClientText;
import dev.mizzen.api.logging.LogThrottle;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyIdentity;
import dev.mizzen.pilot.model.SecretAccess;
import dev.mizzen.pilot.security.SecretAccessReview;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.StatusException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Who may open an ADS stream, decided from its first request before anything is served:
 * <ol>
 *   <li>new streams are paced ({@link XdsLimits#newStreamsPerSecond}); one that would wait too long is refused;</li>
 *   <li>the node must be within its size limits and well-formed;</li>
 *   <li>on the authenticated port (the caller's credentials are present) the caller must prove a workload
 *       identity, by a client certificate of the mesh CA or a service-account token, and that identity must be
 *       the namespace and service account the node claims, as Istio checks; the proxy then carries it, and a
 *       SubjectAccessReview decides whether it may receive its namespace's keys over SDS;</li>
 *   <li>on the plaintext port the proxy is anonymous and receives no secrets.</li>
 * </ol>
 * The result completes with the proxy, or exceptionally with a {@link StatusException} carrying the status the
 * stream is closed with. Nothing here blocks the calling (gRPC) thread.
 *
 * <p>Thread-safe: the rate limiter and throttle lock briefly; everything else is immutable.
 */
final class ProxyAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyAdmission.class);

    private final XdsLimits limits;
    private final CallerAuthenticator authenticator;
    private final SecretAccessReview secretAccess;
    private final StreamRateLimiter rate;
    private final MeterRegistry meters;
    private final LogThrottle refusalLog = new LogThrottle(20, Duration.ofSeconds(1));

    ProxyAdmission(XdsLimits limits, CallerAuthenticator authenticator, SecretAccessReview secretAccess,
                   MeterRegistry meters) {
        this.limits = limits;
        this.authenticator = authenticator;
        this.secretAccess = secretAccess;
        this.meters = meters;
        this.rate = new StreamRateLimiter(limits.newStreamsPerSecond(), limits.maxAdmissionWait().toNanos(), System::nanoTime);
    }

    /**
     * @param credentials what the caller presented on the authenticated port; empty on the plaintext port
     */
    CompletableFuture<Proxy> admit(long streamId, Node node, Optional<CallerCredentials> credentials) {
        OptionalLong wait = rate.reserve();
        if (wait.isEmpty()) {
            return refuse(streamId, "rate", Status.RESOURCE_EXHAUSTED.withDescription(
                    "too many new xDS streams; retry later or connect to another istiod"));
        }
        Proxy claimed;
        try {
            claimed = parse(node);
        } catch (StatusException e) {
            return refuse(streamId, e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED ? "limit" : "malformed",
                    e.getStatus());
        }
        CompletableFuture<Void> turn = wait.getAsLong() == 0 ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(wait.getAsLong(), TimeUnit.NANOSECONDS));
        if (credentials.isEmpty()) {
            return turn.thenApply(v -> claimed);
        }
        return turn.thenCompose(v -> authenticator.authenticate(credentials.get()))
                .handle((identity, failure) -> {
                    if (failure != null) {
                        throw refusal(streamId, "authentication", authenticationStatus(failure), claimed);
                    }
                    Optional<String> mismatch = mismatch(claimed, identity);
                    if (mismatch.isPresent()) {
                        throw refusal(streamId, "identity", Status.PERMISSION_DENIED.withDescription(mismatch.get()), claimed);
                    }
                    return identity;
                })
                .thenCompose(identity -> secretAccess.mayReadSecrets(identity).thenApply(mayRead ->
                        claimed.withIdentity(ProxyIdentity.verified(identity,
                                mayRead ? SecretAccess.OWN_NAMESPACE : SecretAccess.CA_CERTIFICATES))));
    }

    private Proxy parse(Node node) throws StatusException {
        if (node.getId().length() > limits.maxNodeIdChars()) {
            throw new StatusException(Status.RESOURCE_EXHAUSTED.withDescription("the node id has "
                    + node.getId().length() + " characters; at most " + limits.maxNodeIdChars() + " are accepted"));
        }
        int metadataBytes = node.getMetadata().getSerializedSize();
        if (metadataBytes > limits.maxMetadataBytes()) {
            throw new StatusException(Status.RESOURCE_EXHAUSTED.withDescription("the node metadata has "
                    + metadataBytes + " bytes; at most " + limits.maxMetadataBytes() + " are accepted"));
        }
        try {
            return ProxyParser.parse(node);
        } catch (IllegalArgumentException e) {
            throw new StatusException(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        }
    }

    /**
     * Why an identity may not serve as this proxy, as Istio checks it: the namespace must be the proxy's, and the
     * service account too when the proxy names one.
     */
    private static Optional<String> mismatch(Proxy claimed, SpiffeId identity) {
        if (!identity.namespace().equals(claimed.namespace())) {
            return Optional.of("the caller is " + identity.uri() + " but the node claims namespace "
                    + ClientText.quote(claimed.namespace(), 64));
        }
        if (!claimed.serviceAccount().isEmpty() && !identity.serviceAccount().equals(claimed.serviceAccount())) {
            return Optional.of("the caller is " + identity.uri() + " but the node claims service account "
                    + ClientText.quote(claimed.serviceAccount(), 64));
        }
        return Optional.empty();
    }

    private static Status authenticationStatus(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof AuthenticationException e) {
            Status status = switch (e.kind()) {
                case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
                case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
                case UNAVAILABLE -> Status.UNAVAILABLE;
            };
            return status.withDescription(e.getMessage());
        }
        return Status.UNAVAILABLE.withDescription("authentication failed: " + cause);
    }

    private <T> CompletableFuture<T> refuse(long streamId, String reason, Status status) {
        return CompletableFuture.failedFuture(refusal(streamId, reason, status, null));
    }

    private CompletionException refusal(long streamId, String reason, Status status, Proxy claimed) {
        Counter.builder("pilot_xds_refused_streams")
                .description("ADS streams refused before anything was served, by reason")
                .tag("reason", reason)
                .register(meters)
                .increment();
        refusalLog.admit().ifPresent(dropped -> LOG.warn("ADS stream {}{} refused ({}): {}{}", streamId,
                claimed == null ? "" : " of " + ClientText.name(claimed.id(), 256), status.getCode(),
                status.getDescription(), LogThrottle.dropped(dropped)));
        return new CompletionException(new StatusException(status));
    }

    /** The status a failed admission closes the stream with. */
    static Status statusOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof io.grpc.StatusRuntimeException e) {
            return e.getStatus(); // a ConnectionHooks refusal
        }
        return cause instanceof StatusException e ? e.getStatus()
                : Status.INTERNAL.withDescription("admission failed: " + cause);
    }
}
