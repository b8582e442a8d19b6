package dev.mizzen.istiod.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * istiod's serving certificate (the webhooks' HTTPS), replaceable while serving: {@link #sslContext()} is
 * built once, and its key manager reads the current key and chain at every handshake, so {@link #update}
 * rotates the certificate for new connections without a restart. The CA supplies it here once it signs
 * istiod's certificate; until then it is self-signed ({@link SelfSignedCertificate}) or read from PEM files
 * ({@link PemFiles}).
 *
 * <p>Thread-safety: the pair is one immutable value behind an {@link AtomicReference}; {@link #update} swaps
 * it, handshakes read it, so a handshake never sees one pair's key with another pair's chain.
 */
public final class ServingTls {
    private static final String ALIAS = "istiod-serving";

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

    private final AtomicReference<Credentials> current;
    private final SSLContext context;
    private final X509ExtendedKeyManager keyManager = new CurrentKeyManager();

    private ServingTls(Credentials initial) {
        this.current = new AtomicReference<>(initial);
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

    /** A fresh self-signed certificate for istiod in {@code namespace} (see {@link SelfSignedCertificate}). */
    public static ServingTls selfSigned(String namespace, String domainSuffix) {
        Credentials c = SelfSignedCertificate.generate(SelfSignedCertificate.istiodNames(namespace, domainSuffix),
                Clock.systemUTC());
        return new ServingTls(c);
    }

    /** Replaces the key and chain; new handshakes present them, connections already open keep theirs. */
    public void update(PrivateKey key, List<X509Certificate> chain) {
        current.set(new Credentials(key, chain));
    }

    public Credentials current() {
        return current.get();
    }

    /** A server-side TLS context that always presents the current pair. */
    public SSLContext sslContext() {
        return context;
    }

    /** The key manager behind {@link #sslContext()}, for servers that build their own TLS (gRPC). */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** Presents whatever pair is current; it has one alias, offered for the key's own algorithm. */
    private final class CurrentKeyManager extends X509ExtendedKeyManager {
        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return serverAlias(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return serverAlias(keyType);
        }

        private String serverAlias(String keyType) {
            String algorithm = current.get().key().getAlgorithm();
            boolean fits = keyType == null || keyType.equalsIgnoreCase(algorithm)
                    || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS"))
                    || (algorithm.equals("EC") && keyType.startsWith("EC"));
            return fits ? ALIAS : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String alias = serverAlias(keyType);
            return alias == null ? null : new String[] {alias};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? current.get().chain().toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? current.get().key() : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
