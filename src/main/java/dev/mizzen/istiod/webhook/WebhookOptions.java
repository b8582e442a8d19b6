package dev.mizzen.istiod.webhook;

import dev.mizzen.istiod.tls.PemFiles;
import dev.mizzen.istiod.tls.ServingTls;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The webhook server's command-line options, a picocli mixin for {@code istiod}: the port and the serving
 * certificate files (both or neither; without them istiod makes a self-signed certificate).
 */
public final class WebhookOptions {
    @Option(names = "--webhook-port", defaultValue = "15017",
            description = "HTTPS port of the admission webhooks, /validate and /inject (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-cert-file", paramLabel = "FILE",
            description = "PEM certificate chain istiod serves the webhooks with (default: self-signed).")
    Path certFile;

    @Option(names = "--tls-key-file", paramLabel = "FILE", description = "PEM private key of --tls-cert-file.")
    Path keyFile;

    public int port() {
        return port;
    }

    /** The serving certificate: from the files when given, else self-signed for istiod in {@code namespace}. */
    public ServingTls servingTls(String namespace, String domainSuffix) throws IOException {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together");
        }
        if (certFile == null) {
            return ServingTls.selfSigned(namespace, domainSuffix);
        }
        ServingTls.Credentials credentials = PemFiles.read(certFile, keyFile);
        return ServingTls.of(credentials.key(), credentials.chain());
    }
}
