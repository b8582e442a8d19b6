package dev.mizzen.istiod.webhook;

import dev.mizzen.istiod.tls.PemFiles;
import dev.mizzen.istiod.tls.ServingTls;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The webhook server's command-line options, a picocli mixin for {@code istiod}: the port and the serving
 * certificate files (both or neither; without them istiod's CA issues istiod's certificate and renews it).
 */
public final class WebhookOptions {
    @Option(names = "--webhook-port", defaultValue = "15017",
            description = "HTTPS port of the admission webhooks, /validate and /inject (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-cert-file", paramLabel = "FILE",
            description = "PEM certificate chain istiod serves its TLS ports with (default: issued by istiod's CA).")
    Path certFile;

    @Option(names = "--tls-key-file", paramLabel = "FILE", description = "PEM private key of --tls-cert-file.")
    Path keyFile;

    public int port() {
        return port;
    }

    /** The serving certificate from the files, or empty when none were given. */
    public Optional<ServingTls> servingTlsFromFiles() throws IOException {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together");
        }
        if (certFile == null) {
            return Optional.empty();
        }
        ServingTls.Credentials credentials = PemFiles.read(certFile, keyFile);
        return Optional.of(ServingTls.of(credentials.key(), credentials.chain()));
    }
}
