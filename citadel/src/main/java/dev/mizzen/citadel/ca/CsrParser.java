package dev.mizzen.citadel.ca;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Reads a PEM CSR and keeps only what citadel uses from it: the public key, after checking that the CSR is
 * signed by that key (proof of possession) and that the key is strong enough. Everything the CSR asks for
 * (subject, SANs, extensions) is ignored: the caller's authenticated identity decides the certificate.
 */
public final class CsrParser {
    public static final int MIN_RSA_BITS = 2048;
    public static final int MIN_EC_BITS = 256;
    private static final int MAX_CSR_CHARS = 64 * 1024;

    private CsrParser() {
    }

    public static PublicKey publicKey(String csrPem) {
        if (csrPem == null || csrPem.isBlank()) {
            throw new CsrException("the CSR is empty");
        }
        if (csrPem.length() > MAX_CSR_CHARS) {
            throw new CsrException("the CSR is larger than " + MAX_CSR_CHARS + " characters");
        }
        PKCS10CertificationRequest csr = read(csrPem);
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CsrException("the CSR's public key cannot be read: " + e.getMessage());
        }
        checkSignature(csr, key);
        checkStrength(key);
        return key;
    }

    private static PKCS10CertificationRequest read(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (o instanceof PKCS10CertificationRequest csr) {
                return csr;
            }
            throw new CsrException("no PEM \"CERTIFICATE REQUEST\" block in the CSR"
                    + (o == null ? "" : " (found " + o.getClass().getSimpleName() + ")"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof CsrException c) {
                throw c;
            }
            throw new CsrException("the CSR is not valid PEM/DER: " + e.getMessage());
        }
    }

    private static void checkSignature(PKCS10CertificationRequest csr, PublicKey key) {
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new CsrException("the CSR's signature cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            throw new CsrException("the CSR is not signed by the key it carries");
        }
    }

    private static void checkStrength(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new CsrException("the CSR's RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
            }
        } else if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits < MIN_EC_BITS) {
                throw new CsrException("the CSR's EC key is on a " + bits + "-bit curve; at least " + MIN_EC_BITS
                        + " bits are required");
            }
        } else {
            throw new CsrException("the CSR's key algorithm " + key.getAlgorithm() + " is not supported (RSA or EC)");
        }
    }
}
