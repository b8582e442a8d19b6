package dev.mizzen.citadel.server;

import dev.mizzen.citadel.ca.CertificateAuthority;
import io.grpc.util.AdvancedTlsX509TrustManager;

import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * For a TLS server that asks for (but may not require) client certificates: grpc-java's
 * {@link AdvancedTlsX509TrustManager} trusting client chains that end at one of the CA's current roots, and
 * nothing else (no system roots). Its roots are swapped whenever the CA's change, so a root rotation needs no
 * server restart. For servers only: it checks the chain and no host name, which is right for a client
 * certificate and wrong for a server's.
 *
 * <p>Thread-safety: the trust manager swaps its delegate atomically; updates come from the CA's change
 * listener (the rotator's thread) and always read the CA's roots at that moment, so the last update wins with
 * the newest roots.
 */
public final class CaRootsTrust {
    private CaRootsTrust() {
    }

    /** A trust manager for client certificates that follows {@code ca}'s roots. */
    public static X509ExtendedTrustManager following(CertificateAuthority ca) {
        AdvancedTlsX509TrustManager trust;
        try {
            trust = AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot make a trust manager for the CA roots", e);
        }
        update(trust, ca);
        ca.onChange(bundle -> update(trust, ca));
        return trust;
    }

    private static void update(AdvancedTlsX509TrustManager trust, CertificateAuthority ca) {
        try {
            trust.updateTrustCredentials(ca.roots().toArray(X509Certificate[]::new));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the CA roots", e);
        }
    }
}
