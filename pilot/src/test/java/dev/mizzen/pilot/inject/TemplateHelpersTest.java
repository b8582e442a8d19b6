package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers whose output the agent reads back byte for byte. */
class TemplateHelpersTest {
    @Test
    void excludeInboundPortAppendsOnce() {
        assertThat(TemplateFunctions.excludeInboundPort("15020", "")).isEqualTo("15020");
        assertThat(TemplateFunctions.excludeInboundPort("15020", "4,5,6")).isEqualTo("4,5,6,15020");
        assertThat(TemplateFunctions.excludeInboundPort("15020", "15020,4")).isEqualTo("15020,4");
        assertThat(TemplateFunctions.excludeInboundPort("0", "4")).isEqualTo("4");
        assertThat(TemplateFunctions.excludeInboundPort(" ", "4")).isEqualTo("4");
    }

    @Test
    void multusNetworkAppendedToListOrJson() {
        assertThat(TemplateFunctions.appendMultusNetwork("", "istio-cni")).isEqualTo("istio-cni");
        assertThat(TemplateFunctions.appendMultusNetwork("macvlan", "istio-cni")).isEqualTo("macvlan, istio-cni");
        assertThat(TemplateFunctions.appendMultusNetwork("a, istio-cni", "istio-cni")).isEqualTo("a, istio-cni");
        assertThat(TemplateFunctions.appendMultusNetwork("[{\"name\": \"a\"}]", "istio-cni"))
                .isEqualTo("[{\"name\": \"a\"}, {\"name\": \"istio-cni\"}]");
    }

    @Test
    void namespacedMultusNetworkAsIstioWritesIt() {
        assertThat(TemplateFunctions.appendMultusNetwork("[{\"name\": \"istio-cni\"}]", "default/istio-cni"))
                .isEqualTo("[{\"name\": \"istio-cni\"}, {\"name\": \"istio-cni\", \"namespace\": \"default\"}]");
        assertThat(TemplateFunctions.appendMultusNetwork(
                "[{\"name\": \"istio-cni\", \"namespace\": \"default\"}]", "default/istio-cni"))
                .isEqualTo("[{\"name\": \"istio-cni\", \"namespace\": \"default\"}]");
        assertThat(TemplateFunctions.appendMultusNetwork("alt_cni", "default/istio-cni"))
                .isEqualTo("alt_cni, default/istio-cni");
    }

    @Test
    void sprigTrimAllAndGoDirectory() {
        assertThat(TemplateFunctions.trimAll("-_.a-b._-", "-_.")).isEqualTo("a-b");
        assertThat(TemplateFunctions.trimAll("---", "-")).isEmpty();
        assertThat(TemplateFunctions.directory("/etc/certs/ca.pem")).isEqualTo("/etc/certs");
        assertThat(TemplateFunctions.directory("ca.pem")).isEqualTo(".");
    }

    @Test
    void userVolumeEntriesFromAnObjectOrAnArray() {
        assertThat(TemplateFunctions.namedEntries("{\"v\": {\"mountPath\": \"/v\"}}"))
                .containsExactly(Map.of("name", "v", "mountPath", "/v"));
        assertThat(TemplateFunctions.namedEntries("[{\"name\": \"v\", \"mountPath\": \"/v\"}]"))
                .containsExactly(Map.of("name", "v", "mountPath", "/v"));
    }

    @Test
    void goJsonOrdersStructFieldsAndEscapesAsGo() {
        ObjectNode port = Fixtures.yaml("{containerPort: 80, protocol: TCP, name: http}");
        assertThat(GoJson.write(port, GoJson.Type.CONTAINER_PORT))
                .isEqualTo("{\"name\":\"http\",\"containerPort\":80,\"protocol\":\"TCP\"}");
        assertThat(GoJson.quote("a<b>&\"c\"\n\u0001")).isEqualTo("\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\\u0001\"");
        assertThat(GoJson.container(Fixtures.yaml("{image: x, name: app}")))
                .isEqualTo("{\"name\":\"app\",\"image\":\"x\",\"resources\":{}}");
    }

    @Test
    void proxyConfigJsonKeepsOnlyWhatDiffersInProtoOrder() {
        InjectionSettings settings = InjectionSettings.defaults();
        ObjectNode mesh = ProxyConfigs.meshDefault(settings);
        ObjectNode pod = ProxyConfigs.forPod(mesh, Map.of("proxy.istio.io/config",
                "proxyMetadata: {Z: '1', A: '2'}\nconcurrency: 0\ndiscoveryAddress: foo:123\nstatusPort: 15020"),
                ProxyConfigResources.NONE.layers("default", Map.of()));

        assertThat(ProxyConfigs.toJson(mesh, settings.proxyConfigDefaults())).isEqualTo("{}");
        assertThat(ProxyConfigs.toJson(pod, settings.proxyConfigDefaults()))
                .isEqualTo("{\"discoveryAddress\":\"foo:123\",\"concurrency\":0,\"proxyMetadata\":{\"A\":\"2\",\"Z\":\"1\"}}");
    }

    @Test
    void proxyImageFollowsImageType() {
        InjectionSettings s = InjectionSettings.defaults().withValues("global: {hub: h.io/istio, tag: 1.2.3-distroless}");
        ObjectNode pc = Trees.object();
        assertThat(TemplateData.proxyImage(s.values(), pc, Map.of()))
                .isEqualTo("h.io/istio/proxyv2:1.2.3-distroless");
        assertThat(TemplateData.proxyImage(s.values(), pc, Map.of("sidecar.istio.io/proxyImageType", "debug")))
                .isEqualTo("h.io/istio/proxyv2:1.2.3-debug");
        assertThat(TemplateData.proxyImage(s.values(), pc, Map.of("sidecar.istio.io/proxyImageType", "default")))
                .isEqualTo("h.io/istio/proxyv2:1.2.3");
    }
}
