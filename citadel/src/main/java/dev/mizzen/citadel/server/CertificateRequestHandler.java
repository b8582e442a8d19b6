package dev.mizzen.citadel.server;

import dev.mizzen.citadel.authn.AuthenticationException;
import dev.mizzen.citadel.authn.Authenticator;
import dev.mizzen.citadel.authn.Credentials;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.CsrException;
import dev.mizzen.citadel.ca.CsrParser;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.citadel.ca.SigningException;
import dev.mizzen.citadel.identity.SpiffeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PublicKey;
import java.time.Duration;

/**
 * One CreateCertificate, without any transport: authenticate the caller, take the public key from the CSR,
 * sign a certificate naming only the caller's identity, and count what happened. Failures are thrown as
 * {@link AuthenticationException}, {@link CsrException} or {@link SigningException}, and never stop the CA.
 *
 * <p>Thread-safe: holds no per-call state.
 */
public final class CertificateRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRequestHandler.class);

    /**
     * @param validitySeconds the requested lifetime, zero or less for the CA's default
     */
    public record Request(String csrPem, long validitySeconds) {
    }

    private final Authenticator authenticator;
    private final CertificateAuthority ca;
    private final CaMetrics metrics;

    public CertificateRequestHandler(Authenticator authenticator, CertificateAuthority ca, CaMetrics metrics) {
        this.authenticator = authenticator;
        this.ca = ca;
        this.metrics = metrics;
    }

    public IssuedCertificate handle(Request request, Credentials credentials) {
        metrics.csrReceived();
        SpiffeId identity = authenticate(credentials);
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

    private SpiffeId authenticate(Credentials credentials) {
        try {
            return authenticator.authenticate(credentials).orElseThrow(() -> new AuthenticationException(
                    AuthenticationException.Kind.UNAUTHENTICATED, "the credentials name no identity"));
        } catch (AuthenticationException e) {
            metrics.authenticationFailure(e.kind());
            LOG.debug("caller not authenticated ({}): {}", e.kind(), e.getMessage());
            throw e;
        }
    }
}
