package dev.mizzen.istiod.testing;

import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.istiod.IstiodServer;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;

/**
 * A workload's key and certificate from istiod's own CA, as Istio's agent holds them after CreateCertificate:
 * what a proxy presents on the authenticated xDS port (15012).
 */
public record WorkloadCertificate(SpiffeId identity, KeyPair keys, IssuedCertificate certificate, String rootsPem) {

    public static WorkloadCertificate issue(IstiodServer istiod, String namespace, String serviceAccount) {
        SpiffeId id = SpiffeId.of("cluster.local", namespace, serviceAccount);
        KeyPair keys = KeyType.ECDSA_P256.generate();
        IssuedCertificate issued = istiod.citadel().authority().signWorkload(keys.getPublic(), id, Duration.ofHours(1));
        return new WorkloadCertificate(id, keys, issued, istiod.citadel().rootsPem());
    }

    /** mTLS to istiod, trusting the mesh root (the channel must name istiod, e.g. override the authority). */
    public ChannelCredentials channelCredentials() {
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(stream(Pem.encode(certificate.tlsChain())), stream(Pem.encode(keys.getPrivate())))
                    .trustManager(stream(rootsPem))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }
}
