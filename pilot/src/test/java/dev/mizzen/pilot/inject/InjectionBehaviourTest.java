package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What injection does for the annotations and customizations Istio's golden files do not cover. */
class InjectionBehaviourTest {
    private static final Map<String, String> ENABLED = Map.of("istio-injection", "enabled");

    private static ObjectNode inject(InjectionSettings settings, ObjectNode pod) {
        InjectionResult result = new SidecarInjector(settings).inject(Fixtures.webhook(pod, ENABLED));
        assertThat(result).isInstanceOf(InjectionResult.Injected.class);
        return ((InjectionResult.Injected) result).pod();
    }

    private static ObjectNode inject(ObjectNode pod) {
        return inject(InjectionSettings.defaults(), pod);
    }

    private static JsonNode container(ObjectNode pod, String name) {
        JsonNode c = Trees.named(Trees.arr(pod.get("spec"), "initContainers"), name);
        return c != null ? c : Trees.named(Trees.arr(pod.get("spec"), "containers"), name);
    }

    private static String env(JsonNode container, String name) {
        JsonNode e = Trees.named(Trees.arr(container, "env"), name);
        return e == null ? null : e.path("value").asString();
    }

    private static List<String> names(ObjectNode pod, String list) {
        return StrategicMerge.names(Trees.arr(pod.get("spec"), list));
    }

    @Test
    void userVolumeMountsInTheirJsonArrayForm() {
        ObjectNode out = inject(Fixtures.pod("{}", """
                {sidecar.istio.io/userVolume: '[{"name": "certs", "secret": {"secretName": "c"}}]',
                 sidecar.istio.io/userVolumeMount: '[{"name": "certs", "mountPath": "/etc/c", "readOnly": true}]'}"""));

        JsonNode mount = Trees.named(Trees.arr(container(out, "istio-proxy"), "volumeMounts"), "certs");
        assertThat(mount.toString()).isEqualTo("{\"name\":\"certs\",\"mountPath\":\"/etc/c\",\"readOnly\":true}");
        assertThat(Trees.named(Trees.arr(out.get("spec"), "volumes"), "certs").at("/secret/secretName").asString())
                .isEqualTo("c");
    }

    @Test
    void scrapeTargetsGoToTheAgentAndReservedPortsAreRefused() {
        ObjectNode out = inject(Fixtures.pod("{}", "{prometheus.istio.io/scrape-targets: '8080, 9100:/m'}"));

        assertThat(env(container(out, "istio-proxy"), "ISTIO_PROMETHEUS_ANNOTATIONS")).isEqualTo(
                "{\"scrape\":\"\",\"path\":\"/metrics\",\"port\":\"8080\",\"targets\":[{\"port\":\"8080\","
                        + "\"path\":\"/metrics\"},{\"port\":\"9100\",\"path\":\"/m\"}]}");
        assertThat(out.at("/metadata/annotations").has("prometheus.istio.io/scrape-targets")).isFalse();

        InjectionResult refused = new SidecarInjector(InjectionSettings.defaults()).inject(Fixtures.webhook(
                Fixtures.pod("{}", "{prometheus.istio.io/scrape-targets: '15000:/stats'}"), ENABLED));
        assertThat(refused).isInstanceOf(InjectionResult.Rejected.class);
        assertThat(((InjectionResult.Rejected) refused).message())
                .contains("target port 15000 is reserved for Istio (Envoy admin)");
    }

    @Test
    void thePodsNativeSidecarAnnotationWinsBothWays() {
        ObjectNode classic = inject(Fixtures.pod("{}", "{sidecar.istio.io/nativeSidecar: 'false'}"));
        ObjectNode nativeOne = inject(InjectionSettings.defaults().withLayout(SidecarLayout.CLASSIC),
                Fixtures.pod("{}", "{sidecar.istio.io/nativeSidecar: 'true'}"));

        assertThat(names(classic, "containers")).containsExactly("web", "istio-proxy");
        assertThat(names(nativeOne, "initContainers")).containsExactly("istio-init", "istio-proxy");
        assertThat(container(nativeOne, "istio-proxy").path("restartPolicy").asString()).isEqualTo("Always");
    }

    @Test
    void reinjectionUpdatesTheEarlierSidecarAndKeepsItsProbers() {
        ObjectNode pod = Fixtures.pod("{}", "{}");
        ((ObjectNode) Trees.arr(pod.get("spec"), "containers").get(0)).set("readinessProbe",
                Fixtures.yaml("{httpGet: {path: /ready, port: 8080}}"));
        ObjectNode once = inject(pod);

        ObjectNode twice = inject(once);
        ObjectNode other = inject(InjectionSettings.defaults().withValues("global: {proxy: {logLevel: debug}}"), once);

        assertThat(twice).isEqualTo(once);
        assertThat(names(other, "initContainers")).containsExactly("istio-init", "istio-proxy");
        assertThat(container(other, "istio-proxy").get("args").toString()).contains("--proxyLogLevel=debug");
        assertThat(env(container(other, "istio-proxy"), "ISTIO_KUBE_APP_PROBERS"))
                .isEqualTo("{\"/app-health/web/readyz\":{\"httpGet\":{\"path\":\"/ready\",\"port\":8080}}}");
        assertThat(container(other, "web").at("/readinessProbe/httpGet/port").asInt()).isEqualTo(15020);
    }

    @Test
    void aCustomProxyContainerWinsAndIsRemembered() {
        ObjectNode pod = Fixtures.pod("{}", "{}");
        Trees.arr(pod.get("spec"), "containers").add(Fixtures.yaml("""
                {name: istio-proxy, image: auto, securityContext: {runAsUser: 1234},
                 resources: {limits: {memory: 2Gi}}}"""));

        ObjectNode out = inject(pod);

        assertThat(names(out, "containers")).containsExactly("web");
        JsonNode proxy = container(out, "istio-proxy");
        assertThat(proxy.at("/resources/limits/memory").asString()).isEqualTo("2Gi");
        assertThat(proxy.at("/resources/limits/cpu").asString()).isEqualTo("2");
        assertThat(proxy.get("image").asString()).endsWith("/proxyv2:1.28.0");
        assertThat(proxy.at("/securityContext/runAsUser").asInt()).isEqualTo(1234);
        assertThat(container(out, "istio-init").get("args").toString()).contains("\"-u\",\"1234\"");
        assertThat(out.at("/metadata/annotations/proxy.istio.io~1overrides").asString())
                .isEqualTo("{\"initContainers\":[{\"name\":\"istio-proxy\",\"resources\":{\"limits\":{\"memory\":\"2Gi\"}},"
                        + "\"securityContext\":{\"runAsUser\":1234}}]}"); // image auto is not recorded, as in Istio
    }

    @Test
    void classicLayoutHoldsTheAppUntilTheProxyIsReady() {
        ObjectNode pod = Fixtures.pod("{}", "{proxy.istio.io/config: 'holdApplicationUntilProxyStarts: true'}");

        ObjectNode out = inject(InjectionSettings.defaults().withLayout(SidecarLayout.CLASSIC), pod);

        assertThat(names(out, "containers")).containsExactly("istio-proxy", "web");
        assertThat(names(out, "initContainers")).containsExactly("istio-init");
        assertThat(container(out, "istio-proxy").at("/lifecycle/postStart/exec/command").toString())
                .isEqualTo("[\"pilot-agent\",\"wait\"]");
    }

    @Test
    void initContainersCanRunBeforeTheNativeProxy() {
        ObjectNode pod = Fixtures.pod("{}", "{sidecar.istio.io/init-containers-before-proxy: setup}");
        Trees.arrOrCreate((ObjectNode) pod.get("spec"), "initContainers")
                .add(Fixtures.yaml("{name: migrate, image: m}"))
                .add(Fixtures.yaml("{name: setup, image: s}"));

        ObjectNode out = inject(pod);

        assertThat(names(out, "initContainers")).containsExactly("istio-init", "setup", "istio-proxy", "migrate");
    }

    @Test
    void resourceAnnotationsAreCanonical() {
        ObjectNode out = inject(Fixtures.pod("{}",
                "{sidecar.istio.io/proxyCPULimit: 1500m, sidecar.istio.io/proxyMemory: 1024Mi}"));

        JsonNode resources = container(out, "istio-proxy").get("resources");
        assertThat(resources.toString()).isEqualTo("{\"requests\":{\"memory\":\"1Gi\"},\"limits\":{\"cpu\":\"1500m\"}}");
    }

    @Test
    void noInterceptionMeansNoIptables() {
        ObjectNode out = inject(Fixtures.pod("{}", "{sidecar.istio.io/interceptionMode: NONE}"));

        assertThat(names(out, "initContainers")).containsExactly("istio-proxy");
        assertThat(env(container(out, "istio-proxy"), "ISTIO_META_INTERCEPTION_MODE")).isEqualTo("NONE");
    }

    @Test
    void appMetricsMoveToTheAgent() {
        ObjectNode out = inject(Fixtures.pod("{}",
                "{prometheus.io/scrape: 'true', prometheus.io/port: '9090', prometheus-io/path: /metrics}"));

        assertThat(env(container(out, "istio-proxy"), "ISTIO_PROMETHEUS_ANNOTATIONS"))
                .isEqualTo("{\"scrape\":\"true\",\"path\":\"/metrics\",\"port\":\"9090\"}");
        assertThat(Trees.stringMap(out.at("/metadata/annotations"))).containsEntry("prometheus.io/port", "15020")
                .containsEntry("prometheus.io/path", "/stats/prometheus").doesNotContainKey("prometheus-io/path");
    }

    @Test
    void scrapeFalseLeavesMetricsAlone() {
        ObjectNode out = inject(Fixtures.pod("{}", "{prometheus.io/scrape: 'false'}"));

        assertThat(Trees.stringMap(out.at("/metadata/annotations"))).doesNotContainKey("prometheus.io/port");
    }

    @Test
    void probesOfEveryKindGoThroughTheAgent() {
        ObjectNode pod = Fixtures.pod("{}", "{}");
        ObjectNode web = (ObjectNode) pod.at("/spec/containers/0");
        web.set("readinessProbe", Fixtures.yaml("{tcpSocket: {port: 8080}, timeoutSeconds: 2}"));
        web.set("livenessProbe", Fixtures.yaml("{httpGet: {port: http, path: /live, scheme: HTTPS}}"));
        web.set("startupProbe", Fixtures.yaml("{grpc: {port: 8080}}"));

        ObjectNode out = inject(pod);

        JsonNode rewritten = out.at("/spec/containers/0");
        assertThat(rewritten.get("readinessProbe").toString())
                .isEqualTo("{\"timeoutSeconds\":2,\"httpGet\":{\"path\":\"/app-health/web/readyz\",\"port\":15020}}");
        assertThat(rewritten.at("/livenessProbe/httpGet/scheme").asString()).isEqualTo("HTTP");
        assertThat(rewritten.at("/startupProbe/httpGet/path").asString()).isEqualTo("/app-health/web/startupz");
        assertThat(env(container(out, "istio-proxy"), "ISTIO_KUBE_APP_PROBERS")).isEqualTo(
                "{\"/app-health/web/livez\":{\"httpGet\":{\"path\":\"/live\",\"port\":8080,\"scheme\":\"HTTPS\"}},"
                        + "\"/app-health/web/readyz\":{\"tcpSocket\":{\"port\":8080},\"timeoutSeconds\":2},"
                        + "\"/app-health/web/startupz\":{\"grpc\":{\"port\":8080}}}");
    }

    @Test
    void probesTheSidecarDoesNotSeeAreLeftAlone() {
        ObjectNode pod = Fixtures.pod("{}", "{traffic.sidecar.istio.io/includeInboundPorts: '8080'}");
        ObjectNode web = (ObjectNode) pod.at("/spec/containers/0");
        web.set("readinessProbe", Fixtures.yaml("{httpGet: {port: 9000}}"));
        web.set("livenessProbe", Fixtures.yaml("{httpGet: {port: admin}}"));

        ObjectNode out = inject(pod);

        assertThat(out.at("/spec/containers/0/readinessProbe/httpGet/port").asInt()).isEqualTo(9000);
        assertThat(out.at("/spec/containers/0/livenessProbe/httpGet/port").asString()).isEqualTo("admin");
        assertThat(env(container(out, "istio-proxy"), "ISTIO_KUBE_APP_PROBERS")).isNull();
    }

    @Test
    void rewritingCanBeTurnedOffPerPod() {
        ObjectNode pod = Fixtures.pod("{}", "{sidecar.istio.io/rewriteAppHTTPProbers: 'false'}");
        ((ObjectNode) pod.at("/spec/containers/0")).set("readinessProbe", Fixtures.yaml("{httpGet: {port: 8080}}"));

        ObjectNode out = inject(pod);

        assertThat(out.at("/spec/containers/0/readinessProbe/httpGet/port").asInt()).isEqualTo(8080);
    }

    @Test
    void userVolumesAreAdded() {
        ObjectNode out = inject(Fixtures.pod("{}", """
                {sidecar.istio.io/userVolume: '{"certs": {"secret": {"secretName": "c"}}}',
                 sidecar.istio.io/userVolumeMount: '{"certs": {"mountPath": "/etc/certs", "readOnly": true}}'}"""));

        assertThat(Trees.named(Trees.arr(out.get("spec"), "volumes"), "certs").toString())
                .isEqualTo("{\"name\":\"certs\",\"secret\":{\"secretName\":\"c\"}}");
        assertThat(Trees.named(Trees.arr(container(out, "istio-proxy"), "volumeMounts"), "certs").toString())
                .isEqualTo("{\"name\":\"certs\",\"mountPath\":\"/etc/certs\",\"readOnly\":true}");
    }

    @Test
    void thePodsNetworkLabelWins() {
        ObjectNode out = inject(InjectionSettings.defaults().withValues("global: {network: west, multiCluster: {clusterName: c1}}"),
                Fixtures.pod("{topology.istio.io/network: east}", "{}"));

        JsonNode proxy = container(out, "istio-proxy");
        assertThat(env(proxy, "ISTIO_META_NETWORK")).isEqualTo("east");
        assertThat(env(proxy, "ISTIO_META_CLUSTER_ID")).isEqualTo("c1");
        List<String> envNames = StrategicMerge.names(Trees.arr(proxy, "env"));
        assertThat(envNames.subList(envNames.size() - 2, envNames.size()))
                .containsExactly("ISTIO_META_CLUSTER_ID", "ISTIO_META_NETWORK");
    }

    @Test
    void oneInjectorServesManyThreads() throws Exception {
        SidecarInjector injector = new SidecarInjector(InjectionSettings.defaults());
        PodRequest request = Fixtures.webhook(InjectionBenchmark.reviewsPod(), ENABLED);
        JsonNode expected = ((InjectionResult.Injected) injector.inject(request)).pod();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<InjectionResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> injector.inject(request)));
            }
            for (Future<InjectionResult> r : results) {
                assertThat(((InjectionResult.Injected) r.get()).pod()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRequestPodIsNeverModified() {
        ObjectNode pod = Fixtures.pod("{}", "{}");
        ObjectNode before = pod.deepCopy();

        inject(pod);

        assertThat(pod).isEqualTo(before);
    }
}
