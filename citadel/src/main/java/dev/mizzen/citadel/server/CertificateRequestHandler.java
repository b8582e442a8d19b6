package dev.mizzen.citadel.server;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerAuthenticator;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.CsrException;
import dev.mizzen.citadel.ca.CsrParser;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.citadel.ca.SigningException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One CreateCertificate, without any transport: authenticate the caller, take the public key from the CSR,
 * sign a certificate naming only the caller's identity, and count what happened. Failures complete the result
 * with {@link AuthenticationException}, {@link CsrException} or {@link SigningException}, and never stop the CA.
 *
 * <p>Thread-safe: holds no per-call state. Signing runs on the thread that completes the authentication (the
 * caller's for a certificate or a remembered token, the token-review executor otherwise).
 */
public final class CertificateRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRequestHandler.class);

    /**
     * @param validitySeconds the requested lifetime, zero or less for the CA's default
     */
    public record Request(String csrPem, long validitySeconds) {
    }

    private final CallerAuthenticator authenticator;
    private final CertificateAuthority ca;
    private final CaMetrics metrics;

    public CertificateRequestHandler(CallerAuthenticator authenticator, CertificateAuthority ca, CaMetrics metrics) {
        this.authenticator = authenticator;
        this.ca = ca;
        this.metrics = metrics;
    }

    public CompletableFuture<IssuedCertificate> handle(Request request, CallerCredentials credentials) {
        metrics.csrReceived();
        return authenticator.authenticate(credentials)
                .exceptionally(failure -> {
                    AuthenticationException refused = refusal(failure);
                    metrics.authenticationFailure(refused.kind());
                    LOG.debug("caller not authenticated ({}): {}", refused.kind(), refused.getMessage());
                    throw refused;
                })
                .thenApply(identity -> sign(request, identity));
    }

    private IssuedCertificate sign(Request request, SpiffeId identity) {
        PublicKey key;
        try {
            key = CsrParser.publicKey(request.csrPem());
        } catch (CsrException e) {
            metrics.csrParsingError();
            LOG.debug("CSR from {} refused: {}", identity, e.getMessage());
            throw e;
        }
        try {
            IssuedCertificate issued = ca.signWorkload(key, identity, Duration.ofSeconds(Math.max(0, request.validitySeconds())));
            metrics.issued();
            LOG.debug("issued {} until {}", identity, issued.leaf().getNotAfter().toInstant());
            return issued;
        } catch (SigningException e) {
            metrics.signError("sign");
            LOG.warn("cannot sign for {}: {}", identity, e.getMessage());
            throw e;
        }
    }

    private static AuthenticationException refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof AuthenticationException a ? a
                : new AuthenticationException(AuthenticationException.Kind.UNAVAILABLE, "authentication failed: " + cause, cause);
    }
}
