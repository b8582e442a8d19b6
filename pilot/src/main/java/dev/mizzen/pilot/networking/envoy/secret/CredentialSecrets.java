package dev.mizzen.pilot.networking.envoy.secret;

import com.google.protobuf.ByteString;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.TlsCredential;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;

import java.util.Optional;

/**
 * SDS from istiod: {@code kubernetes://<name>} is the certificate and key of Secret {@code <name>} in the
 * proxy's namespace; {@code kubernetes://<name>-cacert} is its CA certificate (from a Secret of that name,
 * else the {@code ca.crt} of {@code <name>}). A proxy only gets credentials of its own namespace. Pure.
 */
public final class CredentialSecrets {
    private CredentialSecrets() {
    }

    public static Optional<Secret> build(String name, Proxy proxy, PushContext push) {
        if (!name.startsWith(EnvoyNames.KUBERNETES_SECRET_PREFIX)) {
            return Optional.empty();
        }
        String ref = name.substring(EnvoyNames.KUBERNETES_SECRET_PREFIX.length());
        Optional<TlsCredential> own = push.credential(proxy.namespace(), ref).filter(TlsCredential::hasCertificate);
        if (own.isPresent()) {
            return Optional.of(Secret.newBuilder().setName(name).setTlsCertificate(TlsCertificate.newBuilder()
                    .setCertificateChain(inline(own.get().certificateChain()))
                    .setPrivateKey(inline(own.get().privateKey()))).build());
        }
        if (ref.endsWith(EnvoyNames.CA_CERT_SUFFIX)) {
            String base = ref.substring(0, ref.length() - EnvoyNames.CA_CERT_SUFFIX.length());
            Optional<byte[]> ca = push.credential(proxy.namespace(), ref).map(TlsCredential::caCertificate)
                    .or(() -> push.credential(proxy.namespace(), base).map(TlsCredential::caCertificate));
            if (ca.isPresent() && ca.get() != null) {
                return Optional.of(Secret.newBuilder().setName(name).setValidationContext(
                        CertificateValidationContext.newBuilder().setTrustedCa(inline(ca.get()))).build());
            }
        }
        return Optional.empty();
    }

    private static DataSource inline(byte[] pem) {
        return DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(pem)).build();
    }
}
