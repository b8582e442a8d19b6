package dev.mizzen.citadel.testing;

import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.pki.Pem;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;

/** CSRs as Istio's agent sends them, and broken ones. */
public final class Csrs {
    private Csrs() {
    }

    /** A CSR for the key, asking for the given URI SANs (the CA must ignore them). */
    public static String csr(KeyPair keys, String... uriSans) {
        return build(keys, keys.getPrivate(), uriSans);
    }

    /** A CSR carrying {@code subject}'s public key but signed by another key: no proof of possession. */
    public static String signedByAnotherKey(KeyPair subject, KeyPair signer) {
        return build(subject, signer.getPrivate());
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        return KeyType.ECDSA_P256.generate();
    }

    private static String build(KeyPair keys, PrivateKey signingKey, String... uriSans) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=cluster.local"), keys.getPublic());
            if (uriSans.length > 0) {
                var ext = new ExtensionsGenerator();
                GeneralName[] names = new GeneralName[uriSans.length];
                for (int i = 0; i < uriSans.length; i++) {
                    names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, uriSans[i]);
                }
                ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            var signer = new JcaContentSignerBuilder(KeyType.signatureAlgorithm(keys.getPublic())).build(signingKey);
            return Pem.block("CERTIFICATE REQUEST", builder.build(signer).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
