package dev.mizzen.istiod.testing;

import dev.mizzen.citadel.pki.CertificateMinter;
import dev.mizzen.citadel.pki.CertificateTemplate;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.istiod.tls.ServingTls;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A self-signed serving certificate for istiod (ECDSA P-256) from citadel's minter, for tests of the TLS
 * servers that need no CA: a test client trusts this certificate alone, as the apiserver trusts a caBundle.
 */
public final class SelfSignedCertificate {
    /** How long a self-signed certificate lasts. */
    public static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private SelfSignedCertificate() {
    }

    /** The names the apiserver and local clients reach istiod by, in {@code namespace}. */
    public static List<String> istiodNames(String namespace, String domainSuffix) {
        return List.of("istiod." + namespace + ".svc", "istiod." + namespace + ".svc." + domainSuffix, "istiod", "localhost");
    }

    /** A fresh key and a certificate for {@code dnsNames}, serving TLS only. */
    public static ServingTls.Credentials generate(List<String> dnsNames, Clock clock) {
        KeyPair keys = KeyType.ECDSA_P256.generate();
        Instant now = clock.instant();
        X509Certificate certificate = CertificateMinter.selfSigned(CertificateTemplate.standaloneServer(dnsNames,
                keys.getPublic(), now.minus(CLOCK_SKEW), now.plus(VALIDITY)), keys);
        return new ServingTls.Credentials(keys.getPrivate(), List.of(certificate));
    }
}
