package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's own injection tests, run through our kube-inject with the settings Istio's test used: the output must
 * equal Istio's golden file as YAML trees once proxy image names are normalised (hub and tag are placeholders in
 * Istio's test, config in ours).
 * <p>
 * Differences on purpose, removed from both sides before comparing ({@link #normalised}):
 * <ol>
 *   <li>Empty {@code resources: {}} on containers, {@code strategy: {}} on Deployments and {@code status: {}}:
 *   Go writes every struct field without omitempty when it re-serializes a typed object. We work on the
 *   untyped tree and keep the user's objects as written; the fields are empty and mean nothing.</li>
 *   <li>The grpc-agent template's {@code PKCS8_KEY=true} on istio-proxy: the agent must write the workload key as
 *   PKCS#8 for grpc-java apps to read it (its file_watcher provider reads nothing else; found against Istio's real
 *   agent in the it module). Pinned by {@link #theGrpcAgentWritesKeysGrpcJavaReads()}.</li>
 * </ol>
 */
class IstioGoldenTest {
    private static final Map<String, UnaryOperator<InjectionSettings>> SETTINGS = Map.of(
            "default", s -> s,
            "old-version", s -> s.withLayout(SidecarLayout.CLASSIC),
            "cni", s -> s.withValues("istio_cni: {enabled: true, provider: default}\nglobal: {network: network1}"),
            "tproxy", s -> s.withMeshConfig("defaultConfig: {interceptionMode: TPROXY}"),
            "proxy-metadata", s -> s.withMeshConfig(
                    "defaultConfig: {proxyMetadata: {ISTIO_META_TLS_CLIENT_KEY: /etc/identity/client/keys/client-key.pem}}"));

    record Case(String input, String golden, String settings) {
        @Override
        public String toString() {
            return input + " -> " + golden + " (" + settings + ")";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("hello.yaml", "hello.yaml.injected", "default"),
                new Case("hello-service.yaml", "hello-service.yaml.injected", "default"),
                new Case("pod.yaml", "pod.yaml.injected", "default"),
                new Case("frontend.yaml", "frontend.yaml.injected", "default"),
                new Case("hello-multi.yaml", "hello-multi.yaml.injected", "default"),
                new Case("two_container.yaml", "two_container.yaml.injected", "default"),
                new Case("hello-namespace.yaml", "hello-namespace.yaml.injected", "default"),
                new Case("status_annotations.yaml", "status_annotations.yaml.injected", "default"),
                new Case("hello-probes.yaml", "hello-probes.yaml.injected", "default"),
                new Case("native-sidecar.yaml", "native-sidecar.yaml.injected", "default"),
                new Case("grpc-agent.yaml", "grpc-agent.yaml.injected", "default"),
                new Case("traffic-annotations.yaml", "traffic-annotations.yaml.injected", "proxy-metadata"),
                new Case("hello.yaml", "hello-old-version.yaml.injected", "old-version"),
                new Case("pod.yaml", "pod-old-version.yaml.injected", "old-version"),
                new Case("native-sidecar.yaml", "native-sidecar-old-version.yaml.injected", "old-version"),
                new Case("hello.yaml", "hello.yaml.cni.injected", "cni"),
                new Case("hello.yaml", "hello-tproxy.yaml.injected", "tproxy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesIstiosGolden(Case c) {
        InjectionSettings settings = SETTINGS.get(c.settings()).apply(InjectionSettings.defaults());

        String ours = KubeInject.inject(Fixtures.istio(c.input()), settings);

        List<JsonNode> actual = normalised(ours);
        List<JsonNode> expected = normalised(Fixtures.istio(c.golden()));
        assertThat(actual).hasSameSizeAs(expected);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            differences.addAll(TreeDiff.of(expected.get(i), actual.get(i)));
        }
        assertThat(differences).as("differences from Istio's %s", c.golden()).isEmpty();
    }

    @Test
    void theGrpcAgentWritesKeysGrpcJavaReads() {
        String ours = KubeInject.inject(Fixtures.istio("grpc-agent.yaml"), InjectionSettings.defaults());

        JsonNode pod = Fixtures.documents(ours).get(0).path("spec").path("template").path("spec");
        List<JsonNode> proxies = new ArrayList<>();
        for (String list : List.of("containers", "initContainers")) {
            pod.path(list).forEach(c -> {
                if (c.path("name").asString("").equals("istio-proxy")) {
                    proxies.add(c);
                }
            });
        }
        assertThat(proxies).singleElement().satisfies(proxy -> assertThat(proxy.path("env").toString())
                .contains("{\"name\":\"PKCS8_KEY\",\"value\":\"true\"}"));
    }

    @Test
    void theComparisonNoticesWrongSettings() {
        String ours = KubeInject.inject(Fixtures.istio("hello.yaml"), InjectionSettings.defaults());

        List<String> differences = TreeDiff.of(normalised(Fixtures.istio("hello-tproxy.yaml.injected")).get(0),
                normalised(ours).get(0));

        assertThat(differences).anyMatch(d -> d.contains("expected \"TPROXY\" but was \"REDIRECT\""));
    }

    private static List<JsonNode> normalised(String yaml) {
        List<JsonNode> docs = Fixtures.documents(yaml);
        for (JsonNode doc : docs) {
            dropIfEmpty(doc, "status");
            dropIfEmpty(doc.get("spec"), "strategy");
            normalise(doc);
        }
        return docs;
    }

    /** Proxy images to their bare name; the empty {@code resources} of containers dropped. */
    private static void normalise(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode image = o.get("image");
            if (image != null && image.isString() && image.asString().matches(".*/proxyv2:.*")) {
                o.put("image", "proxyv2");
            }
            for (String list : List.of("containers", "initContainers")) {
                JsonNode containers = o.get(list);
                if (containers != null && containers.isArray()) {
                    containers.forEach(c -> dropIfEmpty(c, "resources"));
                    containers.forEach(IstioGoldenTest::dropPkcs8Key);
                }
            }
            o.forEach(IstioGoldenTest::normalise);
        } else if (node != null && node.isArray()) {
            node.forEach(IstioGoldenTest::normalise);
        }
    }

    /** The one env entry our grpc-agent template adds on purpose, out of istio-proxy. */
    private static void dropPkcs8Key(JsonNode container) {
        JsonNode env = container.get("env");
        if ("istio-proxy".equals(container.path("name").asString("")) && env instanceof ArrayNode entries) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).path("name").asString("").equals("PKCS8_KEY")) {
                    entries.remove(i);
                }
            }
        }
    }

    private static void dropIfEmpty(JsonNode node, String field) {
        if (node instanceof ObjectNode o && o.get(field) != null && o.get(field).isObject() && o.get(field).isEmpty()) {
            o.remove(field);
        }
    }
}
