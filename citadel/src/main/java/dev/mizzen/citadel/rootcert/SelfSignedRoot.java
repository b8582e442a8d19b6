package dev.mizzen.citadel.rootcert;

import dev.mizzen.citadel.ca.SigningBundle;
import dev.mizzen.citadel.ca.ValidityPolicy;
import dev.mizzen.citadel.pki.CertificateMinter;
import dev.mizzen.citadel.pki.CertificateTemplate;
import dev.mizzen.citadel.pki.Issuer;
import dev.mizzen.citadel.pki.KeyType;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** A new self-signed root, named as Istio names it: {@code O=<trust domain>}. */
public final class SelfSignedRoot {
    private SelfSignedRoot() {
    }

    public static SigningBundle generate(KeyType keyType, String trustDomain, Duration validity, Instant now) {
        KeyPair keys = keyType.generate();
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, trustDomain).build();
        Instant notBefore = now.minus(ValidityPolicy.CLOCK_SKEW);
        X509Certificate root = CertificateMinter.selfSigned(
                CertificateTemplate.ca(subject, keys.getPublic(), notBefore, now.plus(validity)), keys);
        return SigningBundle.selfSigned(new Issuer(keys.getPrivate(), root));
    }

    /**
     * True once the root has entered the last {@code gracePercent} of its life: time to make the next one while
     * both can still be trusted side by side.
     */
    public static boolean dueForRotation(X509Certificate root, Instant now, int gracePercent) {
        Instant from = root.getNotBefore().toInstant();
        Instant until = root.getNotAfter().toInstant();
        Duration life = Duration.between(from, until);
        Instant rotateAt = until.minus(life.multipliedBy(gracePercent).dividedBy(100));
        return !now.isBefore(rotateAt);
    }
}
