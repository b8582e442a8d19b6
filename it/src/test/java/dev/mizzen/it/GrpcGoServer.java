package dev.mizzen.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code grpcgo -serve} (it/istio/cmd/grpcgo): a proxyless server built with grpc-go's
 * {@code xds.NewGRPCServer}, answering the demo's Bookinfo RPC with {@code "echo <caller's SPIFFE ID>"}. It
 * reports each change of its serving mode (SERVING once istiod sent its inbound listener) as a JSON line on
 * stdout, which a reader thread keeps; its stderr (grpc-go's logs) goes to a file.
 */
final class GrpcGoServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final AtomicReference<String> mode = new AtomicReference<>("STARTING");

    private GrpcGoServer(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readModes, "grpcgo-server-modes");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the server on {@code address} (host:port) with this xDS bootstrap. */
    static GrpcGoServer start(String address, Map<String, Object> bootstrap, Path log) {
        Path binary = KubeCluster.goBinDir().resolve("grpcgo");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build it with it/build-go.sh (the it module's Maven build runs it)");
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-serve", address).redirectError(log.toFile());
            builder.environment().put("GRPC_XDS_BOOTSTRAP_CONFIG", JSON.writeValueAsString(bootstrap));
            builder.environment().put("GRPC_GO_LOG_SEVERITY_LEVEL", "warning");
            return new GrpcGoServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last serving mode grpc-go reported: STARTING, SERVING or NOT_SERVING (with its error), or EXITED. */
    String mode() {
        return mode.get();
    }

    private void readModes() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                JsonNode report = JSON.readTree(line);
                mode.set(report.path("mode").asString("?") + (report.has("error") ? ": " + report.get("error").asString() : ""));
            }
        } catch (IOException | RuntimeException e) {
            // the process ended or wrote something else: reported as EXITED below
        }
        mode.set("EXITED");
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // grpcgo stops when its stdin ends
        } catch (IOException ignored) {
            // it is being destroyed anyway
        }
        process.destroy();
    }
}
