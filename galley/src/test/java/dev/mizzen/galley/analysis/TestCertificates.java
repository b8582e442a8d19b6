package dev.mizzen.galley.analysis;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Self-signed gateway certificates with a chosen validity window, and Secrets holding them, as YAML. */
final class TestCertificates {
    private TestCertificates() {
    }

    /** A certificate and its key, PEM. */
    record Credential(String certificatePem, String keyPem) {
    }

    /** A credential for {@code host} whose certificate is valid from {@code notBefore} to {@code notAfter}. */
    static Credential credential(String host, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            X500Name subject = new X500Name("CN=" + host);
            var holder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
                    Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new Credential(pem("CERTIFICATE", holder.getEncoded()), pem("PRIVATE KEY",
                    pair.getPrivate().getEncoded()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A {@code kubernetes.io/tls} Secret holding the credential, base64 as kubectl writes it. */
    static String tlsSecret(String namespace, String name, Credential credential) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "---\napiVersion: v1\nkind: Secret\nmetadata: {namespace: " + namespace + ", name: " + name + "}\n"
                + "type: kubernetes.io/tls\ndata:\n  tls.crt: " + b64.encodeToString(credential.certificatePem().getBytes())
                + "\n  tls.key: " + b64.encodeToString(credential.keyPem().getBytes()) + "\n";
    }
}
