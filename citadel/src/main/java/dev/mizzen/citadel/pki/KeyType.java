package dev.mizzen.citadel.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/** The keys citadel generates itself: its self-signed root and istiod's serving key. */
public enum KeyType {
    RSA_2048("RSA", 2048),
    RSA_3072("RSA", 3072),
    RSA_4096("RSA", 4096),
    ECDSA_P256("EC", 256);

    private final String algorithm;
    private final int bits;

    KeyType(String algorithm, int bits) {
        this.algorithm = algorithm;
        this.bits = bits;
    }

    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + this + " keys", e);
        }
    }

    /** The signature algorithm a key of this kind signs with: SHA-256 throughout, as Istio does. */
    public static String signatureAlgorithm(PublicKey signerKey) {
        if (signerKey instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        if (signerKey instanceof ECPublicKey) {
            return "SHA256withECDSA";
        }
        throw new IllegalArgumentException("cannot sign with a " + signerKey.getAlgorithm() + " key");
    }
}
