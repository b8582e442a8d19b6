package dev.mizzen.citadel.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * What a certificate says, before it is signed.
 *
 * @param subject   empty for workload certificates (their name is the SAN, which is then critical)
 * @param uriSans   URI subject alternative names (SPIFFE identities)
 * @param dnsSans   DNS subject alternative names (istiod's serving names)
 */
public record CertificateTemplate(X500Name subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
                                  Purpose purpose, List<String> uriSans, List<String> dnsSans) {

    /**
     * What the key may do: sign certificates (a CA), authenticate TLS peers in either role (a leaf), or only
     * serve TLS (a server certificate standing alone, self-signed).
     */
    public enum Purpose { CA, LEAF, SERVER }

    public CertificateTemplate {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
        uriSans = List.copyOf(uriSans);
        dnsSans = List.copyOf(dnsSans);
    }

    public static CertificateTemplate ca(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        return new CertificateTemplate(subject, key, notBefore, notAfter, Purpose.CA, List.of(), List.of());
    }

    public static CertificateTemplate workload(String spiffeUri, PublicKey key, Instant notBefore, Instant notAfter) {
        return new CertificateTemplate(emptySubject(), key, notBefore, notAfter, Purpose.LEAF, List.of(spiffeUri),
                List.of());
    }

    public static CertificateTemplate server(List<String> dnsNames, PublicKey key, Instant notBefore, Instant notAfter) {
        return new CertificateTemplate(emptySubject(), key, notBefore, notAfter, Purpose.LEAF, List.of(), dnsNames);
    }

    /**
     * A certificate that only serves TLS, self-signed when no CA issues it: its subject (and so its issuer) is
     * {@code CN=<the first DNS name>}, its DNS names are the SAN.
     */
    public static CertificateTemplate standaloneServer(List<String> dnsNames, PublicKey key, Instant notBefore,
                                                       Instant notAfter) {
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one DNS name");
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, dnsNames.get(0)).build();
        return new CertificateTemplate(subject, key, notBefore, notAfter, Purpose.SERVER, List.of(), dnsNames);
    }

    public static X500Name emptySubject() {
        return new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
    }

    public boolean hasEmptySubject() {
        return subject.getRDNs().length == 0;
    }
}
