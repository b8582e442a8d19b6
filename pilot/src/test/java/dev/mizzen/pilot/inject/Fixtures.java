package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test inputs: Istio's injection fixtures (test resources inject/istio/) and small pods built in code. */
final class Fixtures {
    private Fixtures() {
    }

    static String istio(String name) {
        return resource("inject/istio/" + name);
    }

    /** A test resource as text. */
    static String resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML stream, as trees; empty documents dropped. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> out = new ArrayList<>();
        for (YamlDocuments d : YamlDocuments.split(yaml)) {
            JsonNode n = Trees.YAML.readTree(d.text());
            if (n != null && !n.isMissingNode() && !n.isNull()) {
                out.add(n);
            }
        }
        return out;
    }

    static ObjectNode yaml(String text) {
        return (ObjectNode) Trees.YAML.readTree(text);
    }

    /** A one-container pod with the given labels and annotations (YAML flow maps, e.g. "{app: web}"). */
    static ObjectNode pod(String labels, String annotations) {
        return yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  namespace: shop
                  labels: %s
                  annotations: %s
                spec:
                  containers:
                  - name: web
                    image: example/web:1
                    ports:
                    - containerPort: 8080
                      name: http
                """.formatted(labels, annotations));
    }

    static PodRequest webhook(ObjectNode pod, Map<String, String> namespaceLabels) {
        String ns = Trees.text(pod.path("metadata"), "namespace");
        return new PodRequest(pod, ns, namespaceLabels, WorkloadMeta.ofPod(pod, ns), InjectionTrigger.WEBHOOK);
    }
}
