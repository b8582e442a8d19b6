package dev.mizzen.citadel.testing;

import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.citadel.ca.ValidityPolicy;
import dev.mizzen.citadel.pki.CertificateMinter;
import dev.mizzen.citadel.pki.CertificateTemplate;
import dev.mizzen.citadel.pki.Issuer;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.rootcert.SelfSignedRoot;
import org.bouncycastle.asn1.x500.X500Name;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** CAs made in memory, for tests that need no apiserver. */
public final class TestCas {
    public static final ValidityPolicy ISTIO_VALIDITY =
            new ValidityPolicy(Duration.ofHours(24), Duration.ofDays(90), ValidityPolicy.CLOCK_SKEW);

    private TestCas() {
    }

    public static SigningBundle selfSigned(KeyType type) {
        return SelfSignedRoot.generate(type, "cluster.local", Duration.ofDays(3650), Instant.now());
    }

    public static CertificateAuthority authority(SigningBundle bundle, Clock clock) {
        return new CertificateAuthority(bundle, ISTIO_VALIDITY, clock);
    }

    /** An operator's hierarchy: a root and an intermediate CA under it, as a plug-in CA would bring. */
    public record Hierarchy(KeyPair rootKeys, X509Certificate root, KeyPair intermediateKeys, X509Certificate intermediate) {
    }

    public static Hierarchy hierarchy(Duration rootLife, Duration intermediateLife) {
        Instant now = Instant.now();
        KeyPair rootKeys = KeyType.ECDSA_P256.generate();
        X509Certificate root = CertificateMinter.selfSigned(CertificateTemplate.ca(new X500Name("O=Operator Root"),
                rootKeys.getPublic(), now.minusSeconds(60), now.plus(rootLife)), rootKeys);
        KeyPair interKeys = KeyType.RSA_2048.generate();
        X509Certificate inter = CertificateMinter.issue(CertificateTemplate.ca(new X500Name("O=cluster.local, CN=Intermediate CA"),
                interKeys.getPublic(), now.minusSeconds(60), now.plus(intermediateLife)), new Issuer(rootKeys.getPrivate(), root));
        return new Hierarchy(rootKeys, root, interKeys, inter);
    }
}
