package dev.mizzen.citadel.server;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * For a TLS server that asks for (but may not require) client certificates: trusts client chains that end at
 * one of the CA's current roots, so a root rotation needs no server restart. Client-side use is refused: it
 * checks no host names.
 *
 * <p>Thread-safe: the delegate is rebuilt when the roots list changes and published through a volatile
 * field; a racing rebuild is harmless (both results are equal).
 */
public final class CaRootsTrustManager extends X509ExtendedTrustManager {
    private record Delegate(List<X509Certificate> roots, X509TrustManager trust) {
    }

    private final Supplier<List<X509Certificate>> roots;
    private volatile Delegate delegate;

    public CaRootsTrustManager(Supplier<List<X509Certificate>> roots) {
        this.roots = roots;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("CaRootsTrustManager checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("CaRootsTrustManager checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("CaRootsTrustManager checks client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.get().toArray(X509Certificate[]::new);
    }

    private X509TrustManager delegate() throws CertificateException {
        List<X509Certificate> now = roots.get();
        Delegate d = delegate;
        if (d == null || !d.roots().equals(now)) {
            d = new Delegate(now, build(now));
            delegate = d;
        }
        return d.trust();
    }

    private static X509TrustManager build(List<X509Certificate> roots) throws CertificateException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new CertificateException("no X.509 trust manager in this JVM"));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertificateException("cannot build a trust manager for the CA roots", e);
        }
    }
}
