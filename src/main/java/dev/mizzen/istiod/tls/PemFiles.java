package dev.mizzen.istiod.tls;

import dev.mizzen.citadel.pki.Pem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads a serving certificate chain and its private key from PEM files, as given by {@code --tls-cert-file} and
 * {@code --tls-key-file}, with citadel's {@link Pem} (PKCS#8, PKCS#1 RSA or SEC1 EC keys; other blocks skipped).
 * Messages name the file; they never show key material.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** The chain (leaf first) and key; fails with a message naming the file and what is wrong. */
    public static ServingTls.Credentials read(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(Files.readString(certificateFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(certificateFile + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + ": no PEM CERTIFICATE block found");
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(Files.readString(keyFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(keyFile + ": " + e.getMessage());
        }
        return new ServingTls.Credentials(key, chain);
    }
}
