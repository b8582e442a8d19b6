package dev.mizzen.demo.testing;

import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * mTLS to the xDS server for grpc-java's xDS client in tests, from files named in the bootstrap's
 * {@code channel_creds} as gRFC A65 spells them. grpc-java's own {@code tls} type ignores its config (no client
 * certificate), and Istio's proxyless apps reach istiod through the agent, which holds the certificate; a test
 * has no agent, so its client presents the workload certificate itself. Registered through META-INF/services.
 */
public final class TestTlsXdsCredentialsProvider extends XdsCredentialsProvider {
    static final String NAME = "mizzen-test-tls";

    @Override
    protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(file(config, "certificate_file"), file(config, "private_key_file"))
                    .trustManager(file(config, "ca_certificate_file"))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code workload}'s chain, key and roots into {@code dir} and returns the {@code channel_creds} entry
     * of an xDS bootstrap that uses them.
     */
    public static Map<String, Object> bootstrapCredentials(WorkloadCertificate workload, Path dir) {
        try {
            Files.createDirectories(dir);
            Path cert = Files.writeString(dir.resolve("cert-chain.pem"), Pem.encode(workload.certificate().tlsChain()));
            Path key = Files.writeString(dir.resolve("key.pem"), Pem.encode(workload.keys().getPrivate()));
            Path roots = Files.writeString(dir.resolve("root-cert.pem"), workload.rootsPem());
            // a test JVM writes hundreds of these; a private key should not outlive it in /tmp
            for (Path written : List.of(cert, key, roots)) {
                written.toFile().deleteOnExit();
            }
            return Map.of("type", NAME, "config", Map.of(
                    "certificate_file", cert.toString(), "private_key_file", key.toString(),
                    "ca_certificate_file", roots.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static File file(Map<String, ?> config, String key) {
        Object path = config == null ? null : config.get(key);
        if (!(path instanceof String p)) {
            throw new IllegalArgumentException(NAME + " needs " + key);
        }
        return new File(p);
    }

    @Override
    protected String getName() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int priority() {
        return 5;
    }
}
