package dev.mizzen.citadel.authn;

import dev.mizzen.api.identity.AuthenticationException;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.SpiffeId;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Renewal: a caller holding a valid workload certificate from this CA may get a new one for the same identity.
 * The chain is verified here against the CA's current roots, whatever the TLS layer was configured to trust.
 * A client certificate without a SPIFFE URI (istiod's own DNS certificate, say) is not this authenticator's.
 *
 * <p>Thread-safe: it reads the roots through the supplier on every call.
 */
public final class ClientCertificateAuthenticator implements Authenticator {
    private static final int URI_SAN = 6;

    private final Supplier<List<X509Certificate>> roots;
    private final String trustDomain;
    private final Clock clock;

    public ClientCertificateAuthenticator(Supplier<List<X509Certificate>> roots, String trustDomain, Clock clock) {
        this.roots = roots;
        this.trustDomain = trustDomain;
        this.clock = clock;
    }

    @Override
    public Optional<SpiffeId> authenticate(CallerCredentials credentials) {
        List<X509Certificate> chain = credentials.peerChain();
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        List<String> uris = uriSans(chain.get(0));
        if (uris.stream().noneMatch(u -> u.startsWith("spiffe://"))) {
            return Optional.empty();
        }
        verify(chain);
        if (uris.size() != 1) {
            throw unauthenticated("the client certificate names " + uris.size() + " URIs; a workload has exactly one");
        }
        SpiffeId id = SpiffeId.parse(uris.get(0))
                .orElseThrow(() -> unauthenticated("the client certificate's URI is not a workload identity: " + uris.get(0)));
        if (!id.trustDomain().equals(trustDomain)) {
            throw unauthenticated("the client certificate is for trust domain " + id.trustDomain() + ", not " + trustDomain);
        }
        return Optional.of(id);
    }

    private void verify(List<X509Certificate> chain) {
        try {
            Set<TrustAnchor> anchors = roots.get().stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet());
            List<X509Certificate> path = new ArrayList<>(chain);
            path.removeIf(c -> roots.get().contains(c));
            var certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (InvalidAlgorithmParameterException e) {
            throw unauthenticated("the CA has no roots to check the client certificate against");
        } catch (GeneralSecurityException e) {
            throw unauthenticated("the client certificate was not issued by this CA or is no longer valid: "
                    + e.getMessage());
        }
    }

    private static List<String> uriSans(X509Certificate leaf) {
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            return sans.stream()
                    .filter(san -> ((Integer) san.get(0)) == URI_SAN)
                    .map(san -> (String) san.get(1))
                    .toList();
        } catch (CertificateParsingException e) {
            throw unauthenticated("the client certificate's names cannot be read");
        }
    }

    private static AuthenticationException unauthenticated(String message) {
        return new AuthenticationException(AuthenticationException.Kind.UNAUTHENTICATED, message);
    }
}
