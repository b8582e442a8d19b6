package dev.mizzen.istiod.testing;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
