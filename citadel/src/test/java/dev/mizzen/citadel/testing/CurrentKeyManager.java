package dev.mizzen.citadel.testing;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A server key manager that presents whatever key and chain it was last given: what istiod's TLS holder
 * does with the serving certificate rotator's callback. The pair is one immutable value, swapped atomically.
 */
public final class CurrentKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "current";

    private record Pair(PrivateKey key, List<X509Certificate> chain) {
    }

    private final AtomicReference<Pair> current = new AtomicReference<>();

    public void update(PrivateKey key, List<X509Certificate> chain) {
        current.set(new Pair(key, List.copyOf(chain)));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    private String alias(String keyType) {
        Pair p = current.get();
        return p != null && p.key().getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String a = alias(keyType);
        return a == null ? null : new String[] {a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.get().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.get().key();
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
