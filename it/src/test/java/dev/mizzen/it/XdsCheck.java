package dev.mizzen.it;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
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

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader answers;

    private XdsCheck(Process process) {
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static XdsCheck start(Path log) {
        Path binary = KubeCluster.goBinDir().resolve("xdscheck");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build it with it/build-go.sh (the it module's Maven build runs it)");
        }
        try {
            Files.createDirectories(log.getParent());
            return new XdsCheck(new ProcessBuilder(binary.toString()).redirectError(log.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("xdscheck exited (code " + process.waitFor() + "); see its log");
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error") && !request.get("op").asString().equals("call")) {
                throw new IllegalStateException("xdscheck: " + answer.get("error").asString());
            }
            return answer;
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
