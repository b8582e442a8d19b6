package dev.mizzen.it;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Drives {@code xdscheck} (it/istio/cmd/xdscheck): Istio's own simulation and xDS validations, over the config an
 * istiod serves to one proxy. One process answers requests in order, one JSON line each way; its stderr (Istio's
 * logs) goes to a file. Not thread-safe: one test thread talks to it.
 */
final class XdsCheck implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonLinesProcess process;

    private XdsCheck(JsonLinesProcess process) {
        this.process = process;
    }

    static XdsCheck start(Path log) {
        return new XdsCheck(JsonLinesProcess.start("xdscheck", List.of(), Map.of(), log));
    }

    /** The workload whose Envoy xdscheck stands in for (the node id and metadata the agent would send). */
    record ProxySpec(String type, String ip, String pod, String namespace, String serviceAccount,
                     Map<String, String> labels) {}

    /** What a fetch got: resource counts, Istio's validation failures, and the resources themselves. */
    record Fetched(int listeners, int clusters, int routes, int endpoints, List<String> validation, List<Any> resources) {}

    /** Connects to {@code xdsAddress} as that proxy, asks CDS, EDS, LDS and RDS, and keeps the answers for calls. */
    Fetched fetch(String xdsAddress, ProxySpec proxy) {
        ObjectNode request = JSON.createObjectNode().put("op", "fetch").put("xdsAddress", xdsAddress);
        request.set("proxy", JSON.valueToTree(proxy));
        JsonNode answer = exchange(request);
        List<String> validation = new ArrayList<>();
        answer.get("validation").forEach(v -> validation.add(v.asString()));
        List<Any> resources = new ArrayList<>();
        for (JsonNode r : answer.get("resources")) {
            try {
                resources.add(Any.parseFrom(Base64.getDecoder().decode(r.asString())));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("xdscheck sent a resource that is not an Any", e);
            }
        }
        return new Fetched(answer.get("listeners").asInt(), answer.get("clusters").asInt(), answer.get("routes").asInt(),
                answer.get("endpoints").asInt(), validation, resources);
    }

    /** Istio's simulation of one call over the last fetch (see callSpec in xdscheck's simulate.go). */
    JsonNode call(ObjectNode call) {
        ObjectNode request = JSON.createObjectNode().put("op", "call");
        request.set("call", call);
        return exchange(request);
    }

    static ObjectNode newCall() {
        return JSON.createObjectNode();
    }

    private JsonNode exchange(ObjectNode request) {
        JsonNode answer = process.exchange(request);
        if (answer.has("error") && !request.get("op").asString().equals("call")) {
            throw new IllegalStateException("xdscheck: " + answer.get("error").asString());
        }
        return answer;
    }

    @Override
    public void close() {
        process.close();
    }
}
