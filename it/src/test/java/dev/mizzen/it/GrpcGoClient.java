package dev.mizzen.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives {@code grpcgo} (it/istio/cmd/grpcgo): a proxyless client built with grpc-go's xDS package, bootstrapped
 * like any grpc-go program ({@code GRPC_XDS_BOOTSTRAP_CONFIG}), calling the demo's stand-in Bookinfo RPC. One JSON
 * line each way per request; its stderr (grpc-go's logs) goes to a file. One test thread talks to it.
 */
final class GrpcGoClient implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonLinesProcess process;

    private GrpcGoClient(JsonLinesProcess process) {
        this.process = process;
    }

    /** Starts the client with this xDS bootstrap (the JSON Istio's agent writes for a proxyless workload). */
    static GrpcGoClient start(Map<String, Object> bootstrap, Path log) {
        // grpc-go logs the xDS resources it rejects (NACKs) at warning level
        return new GrpcGoClient(JsonLinesProcess.start("grpcgo", List.of(), Map.of(
                "GRPC_XDS_BOOTSTRAP_CONFIG", JSON.writeValueAsString(bootstrap),
                "GRPC_GO_LOG_SEVERITY_LEVEL", "warning"), log));
    }

    /** Makes {@code calls} calls to {@code target} ({@code reviews:9080}); who answered, failures as error:CODE. */
    Map<String, Integer> tally(String target, Map<String, String> headers, int calls) {
        ObjectNode request = JSON.createObjectNode().put("target", "xds:///" + target).put("calls", calls);
        ObjectNode h = request.putObject("headers");
        headers.forEach(h::put);
        JsonNode answer = process.exchange(request);
        if (answer.has("error")) {
            throw new IllegalStateException("grpcgo: " + answer.get("error").asString());
        }
        Map<String, Integer> counts = new TreeMap<>();
        answer.get("tally").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    @Override
    public void close() {
        process.close();
    }
}
