package dev.mizzen.pilot.networking.envoy.secret;

import com.google.protobuf.ByteString;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.SecretAccess;
import dev.mizzen.pilot.model.SecretName;
import dev.mizzen.pilot.model.TlsCredential;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;

import java.util.Optional;

/**
 * SDS from istiod: {@code kubernetes://<name>} is the certificate and key of Secret {@code <name>} in the
 * proxy's namespace; {@code kubernetes://<name>-cacert} is its CA certificate (from a Secret of that name,
 * else the {@code ca.crt} of {@code <name>}). Only to a proxy that may receive it ({@link SecretName#readableBy}):
 * anything else is empty, as for a Secret that does not exist. Pure.
 */
public final class CredentialSecrets {
    private CredentialSecrets() {
    }

    public static Optional<Secret> build(String resourceName, Proxy proxy, PushContext push) {
        Optional<SecretName> parsed = SecretName.parse(resourceName, proxy);
        if (parsed.isEmpty() || !parsed.get().readableBy(proxy)) {
            return Optional.empty();
        }
        SecretName secret = parsed.get();
        if (secret.part() == SecretAccess.SecretPart.KEY_PAIR) {
            return push.credential(secret.namespace(), secret.name()).filter(TlsCredential::hasCertificate)
                    .map(c -> Secret.newBuilder().setName(resourceName).setTlsCertificate(TlsCertificate.newBuilder()
                            .setCertificateChain(inline(c.certificateChain()))
                            .setPrivateKey(inline(c.privateKey()))).build());
        }
        Optional<byte[]> ca = push.credential(secret.namespace(), secret.name()).map(TlsCredential::caCertificate)
                .or(() -> push.credential(secret.namespace(), secret.baseName()).map(TlsCredential::caCertificate));
        return ca.filter(pem -> pem != null).map(pem -> Secret.newBuilder().setName(resourceName).setValidationContext(
                CertificateValidationContext.newBuilder().setTrustedCa(inline(pem))).build());
    }

    private static DataSource inline(byte[] pem) {
        return DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(pem)).build();
    }
}
