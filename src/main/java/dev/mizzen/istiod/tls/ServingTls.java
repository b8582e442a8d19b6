package dev.mizzen.istiod.tls;

import io.grpc.util.AdvancedTlsX509KeyManager;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * istiod's serving certificate (the webhooks' HTTPS and the TLS of xDS and the CA on 15012), replaceable while
 * serving. One key manager, grpc-java's {@link AdvancedTlsX509KeyManager}, serves both: gRPC takes it as it is and
 * {@link #sslContext()} (Jetty's) is built on it once. It hands out the current key and chain at every
 * handshake, so {@link #update} rotates the certificate for new connections without a restart. The CA supplies
 * the certificate once it signs istiod's; or it is read from PEM files ({@link PemFiles}).
 *
 * <p>Thread-safety: the key manager swaps key and chain as one snapshot, so a handshake never sees one pair's
 * key with another pair's chain; {@link #current()} is published after the swap (updates are serialized).
 */
public final class ServingTls {
    /** A private key and the certificate chain that goes with it, leaf first. */
    public record Credentials(PrivateKey key, List<X509Certificate> chain) {
        public Credentials {
            Objects.requireNonNull(key, "key");
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
            }
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
    private final SSLContext context;
    private volatile Credentials current;

    private ServingTls(Credentials initial) {
        update(initial);
        try {
            this.context = SSLContext.getInstance("TLS");
            this.context.init(new KeyManager[] {keyManager}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
    }

    public static ServingTls of(PrivateKey key, List<X509Certificate> chain) {
        return new ServingTls(new Credentials(key, chain));
    }

    /** Replaces the key and chain; new handshakes present them, connections already open keep theirs. */
    public void update(PrivateKey key, List<X509Certificate> chain) {
        update(new Credentials(key, chain));
    }

    private synchronized void update(Credentials next) {
        keyManager.updateIdentityCredentials(next.chain().toArray(X509Certificate[]::new), next.key());
        current = next;
    }

    public Credentials current() {
        return current;
    }

    /** A server-side TLS context that always presents the current pair. */
    public SSLContext sslContext() {
        return context;
    }

    /** The key manager behind {@link #sslContext()}, for servers that build their own TLS (gRPC). */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }
}
