package dev.mizzen.citadel.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Signs certificate templates. Stateless and thread-safe; uses the JVM's default providers (no global
 * provider registration).
 */
public final class CertificateMinter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMinter() {
    }

    /** A self-signed certificate: a root of trust, or a server certificate that stands alone. */
    public static X509Certificate selfSigned(CertificateTemplate template, KeyPair keys) {
        if (template.purpose() == CertificateTemplate.Purpose.LEAF) {
            throw new IllegalArgumentException("a CA or a standalone server certificate is self-signed, not a leaf");
        }
        var builder = new JcaX509v3CertificateBuilder(template.subject(), serial(), Date.from(template.notBefore()),
                Date.from(template.notAfter()), template.subject(), template.publicKey());
        var aki = utils().createAuthorityKeyIdentifier(keys.getPublic());
        return sign(builder, template, aki, keys.getPrivate(), keys.getPublic());
    }

    /** A certificate signed by the issuer. */
    public static X509Certificate issue(CertificateTemplate template, Issuer issuer) {
        X509Certificate signer = issuer.certificate();
        var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(signer.getSubjectX500Principal().getEncoded()),
                serial(), Date.from(template.notBefore()), Date.from(template.notAfter()), template.subject(),
                template.publicKey());
        return sign(builder, template, authorityKeyId(signer), issuer.key(), signer.getPublicKey());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, CertificateTemplate template,
                                        AuthorityKeyIdentifier aki, PrivateKey signingKey, PublicKey signingPublicKey) {
        try {
            boolean ca = template.purpose() == CertificateTemplate.Purpose.CA;
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (ca) {
                builder.addExtension(Extension.subjectKeyIdentifier, false,
                        utils().createSubjectKeyIdentifier(template.publicKey()));
            } else if (template.purpose() == CertificateTemplate.Purpose.SERVER) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            } else {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false, aki);
            List<GeneralName> sans = new ArrayList<>();
            template.uriSans().forEach(u -> sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
            template.dnsSans().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            if (!sans.isEmpty()) {
                // RFC 5280 4.2.1.6: with an empty subject the SAN carries the name and must be critical
                builder.addExtension(Extension.subjectAlternativeName, template.hasEmptySubject(),
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder(KeyType.signatureAlgorithm(signingPublicKey)).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate: " + e.getMessage(), e);
        }
    }

    /** The issuer's own key id when it has one (plug-in CAs may compute it differently), else derived from its key. */
    private static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuer) {
        byte[] ext = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext != null) {
            var ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            return new AuthorityKeyIdentifier(ski.getKeyIdentifier());
        }
        return utils().createAuthorityKeyIdentifier(issuer.getPublicKey());
    }

    private static JcaX509ExtensionUtils utils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** 127 random bits, never zero: positive and within RFC 5280's 20 octets. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(0);
    }
}
