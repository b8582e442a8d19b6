package dev.mizzen.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives {@code grpcgo} (it/istio/cmd/grpcgo): a proxyless client built with grpc-go's xDS package, bootstrapped
 * like any grpc-go program ({@code GRPC_XDS_BOOTSTRAP_CONFIG}), calling the demo's stand-in Bookinfo RPC. One JSON
 * line each way per request; its stderr (grpc-go's logs) goes to a file. One test thread talks to it.
 */
final class GrpcGoClient implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader answers;

    private GrpcGoClient(Process process) {
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the client with this xDS bootstrap (the JSON Istio's agent writes for a proxyless workload). */
    static GrpcGoClient start(Map<String, Object> bootstrap, Path log) {
        Path binary = KubeCluster.goBinDir().resolve("grpcgo");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build it with it/build-go.sh (the it module's Maven build runs it)");
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(binary.toString()).redirectError(log.toFile());
            builder.environment().put("GRPC_XDS_BOOTSTRAP_CONFIG", JSON.writeValueAsString(bootstrap));
            // grpc-go logs the xDS resources it rejects (NACKs) at warning level
            builder.environment().put("GRPC_GO_LOG_SEVERITY_LEVEL", "warning");
            return new GrpcGoClient(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code calls} calls to {@code target} ({@code reviews:9080}); who answered, failures as error:CODE. */
    Map<String, Integer> tally(String target, Map<String, String> headers, int calls) {
        ObjectNode request = JSON.createObjectNode().put("target", "xds:///" + target).put("calls", calls);
        ObjectNode h = request.putObject("headers");
        headers.forEach(h::put);
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("grpcgo exited (code " + process.waitFor() + "); see its log");
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error")) {
                throw new IllegalStateException("grpcgo: " + answer.get("error").asString());
            }
            Map<String, Integer> counts = new TreeMap<>();
            answer.get("tally").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException ignored) {
            // the process is ending anyway
        }
        process.destroy();
    }
}
