package dev.mizzen.pilot.inject;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.ProxyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ProxyConfig resources reach the injected proxy as in Istio's webhook (EffectiveProxyConfig): mesh-wide from the
 * root namespace, then the pod's namespace, then the pod's proxy.istio.io/config annotation, then the ProxyConfig
 * that selects the pod; each sets the proxy's concurrency, its environment and its image flavour.
 */
class ProxyConfigInjectionTest {
    private static final Map<String, String> ENABLED = Map.of("istio-injection", "enabled");

    @SuppressWarnings("unchecked")
    private static ProxyConfigResources resources(String... yamls) {
        List<Config<ProxyConfig>> out = new ArrayList<>();
        for (int i = 0; i < yamls.length; i++) {
            out.add((Config<ProxyConfig>) IstioConfigs.parse(yamls[i], "default", Instant.ofEpochSecond(1_000 + i)));
        }
        return ProxyConfigResources.of(out, "istio-system");
    }

    private static final ProxyConfigResources MESH = resources("""
            apiVersion: networking.istio.io/v1beta1
            kind: ProxyConfig
            metadata: {name: mesh, namespace: istio-system}
            spec:
              concurrency: 4
              environmentVariables: {A: root, B: root}
            """, """
            apiVersion: networking.istio.io/v1beta1
            kind: ProxyConfig
            metadata: {name: shop, namespace: shop}
            spec:
              concurrency: 3
              environmentVariables: {B: namespace}
            """, """
            apiVersion: networking.istio.io/v1beta1
            kind: ProxyConfig
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              environmentVariables: {C: workload}
              image: {imageType: distroless}
            """, """
            apiVersion: networking.istio.io/v1beta1
            kind: ProxyConfig
            metadata: {name: root-selected, namespace: istio-system}
            spec:
              selector: {matchLabels: {app: web}}
              concurrency: 9
            """);

    private static ObjectNode inject(ObjectNode pod, ProxyConfigResources resources) {
        String ns = Trees.text(pod.path("metadata"), "namespace");
        InjectionResult result = new SidecarInjector(InjectionSettings.defaults()).inject(new PodRequest(pod, ns, ENABLED,
                WorkloadMeta.ofPod(pod, ns), InjectionTrigger.WEBHOOK, resources));
        assertThat(result).isInstanceOf(InjectionResult.Injected.class);
        return ((InjectionResult.Injected) result).pod();
    }

    private static JsonNode proxy(ObjectNode pod) {
        JsonNode c = Trees.named(Trees.arr(pod.get("spec"), "initContainers"), "istio-proxy");
        return c != null ? c : Trees.named(Trees.arr(pod.get("spec"), "containers"), "istio-proxy");
    }

    private static String env(JsonNode container, String name) {
        JsonNode e = Trees.named(Trees.arr(container, "env"), name);
        return e == null ? null : e.path("value").asString();
    }

    /** What the agent reads its concurrency from (Istio's template passes no --concurrency any more). */
    private static String concurrency(JsonNode proxy) {
        JsonNode value = Trees.YAML.readTree(env(proxy, "PROXY_CONFIG")).path("concurrency");
        return value.isMissingNode() ? null : value.asString();
    }

    @Test
    void eachLayerSetsWhatItSaysAndTheSelectingOneWinsOverTheAnnotation() {
        ObjectNode pod = Fixtures.pod("{app: web}", "{proxy.istio.io/config: '{concurrency: 5, proxyMetadata: {C: annotation}}'}");
        JsonNode proxy = proxy(inject(pod, MESH));

        assertThat(concurrency(proxy)).as("the annotation's, over the namespace's and the mesh's").isEqualTo("5");
        assertThat(env(proxy, "A")).isEqualTo("root");
        assertThat(env(proxy, "B")).isEqualTo("namespace");
        assertThat(env(proxy, "C")).as("the selecting ProxyConfig wins over the annotation").isEqualTo("workload");
        assertThat(proxy.path("image").asString()).endsWith("-distroless");
        assertThat(env(proxy, "PROXY_CONFIG")).contains("\"imageType\":\"distroless\"");
    }

    @Test
    void aPodElsewhereGetsTheMeshWideOneOnlyAndNoResourcesChangeNothing() {
        ObjectNode other = Fixtures.pod("{app: web}", "{}");
        ((ObjectNode) other.get("metadata")).put("namespace", "warehouse");
        JsonNode proxy = proxy(inject(other, MESH));
        assertThat(concurrency(proxy)).as("a root-namespace selector selects nothing elsewhere").isEqualTo("4");
        assertThat(env(proxy, "B")).isEqualTo("root");
        assertThat(env(proxy, "C")).isNull();
        assertThat(proxy.path("image").asString()).doesNotEndWith("-distroless");

        JsonNode plain = proxy(inject(Fixtures.pod("{app: web}", "{}"), ProxyConfigResources.NONE));
        assertThat(env(plain, "A")).isNull();
        assertThat(concurrency(plain)).as("Istio's default, left out of PROXY_CONFIG").isNull();
        assertThat(plain.path("image").asString()).doesNotEndWith("-distroless");
    }
}
