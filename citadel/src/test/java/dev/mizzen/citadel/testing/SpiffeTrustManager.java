package dev.mizzen.citadel.testing;

import dev.mizzen.api.identity.SpiffeId;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a mesh workload checks its peer: the chain must end at one of the roots and the leaf must name exactly
 * the expected SPIFFE identity. Host names play no part (an X509ExtendedTrustManager of our own, so the JDK
 * does not add its endpoint identification).
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {
    private final List<X509Certificate> roots;
    private final SpiffeId expected;

    public SpiffeTrustManager(List<X509Certificate> roots, SpiffeId expected) {
        this.roots = List.copyOf(roots);
        this.expected = expected;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        try {
            Set<TrustAnchor> anchors = roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toSet());
            List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
            path.removeIf(roots::contains);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("peer chain not trusted: " + e.getMessage(), e);
        }
        var sans = chain[0].getSubjectAlternativeNames();
        List<String> uris = sans == null ? List.of()
                : sans.stream().filter(s -> (Integer) s.get(0) == 6).map(s -> (String) s.get(1)).toList();
        if (!uris.equals(List.of(expected.uri()))) {
            throw new CertificateException("peer is " + uris + ", expected " + expected.uri());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.toArray(X509Certificate[]::new);
    }
}
