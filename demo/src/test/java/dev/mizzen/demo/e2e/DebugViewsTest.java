package dev.mizzen.demo.e2e;

import dev.mizzen.demo.testing.FakeEnvoy;
import dev.mizzen.demo.testing.MeshFixture;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * istiod's debug endpoints on the monitoring port, read as Istio's tools read them, against a running istiod with
 * Bookinfo, a sidecar and a gateway connected: each endpoint answers with Istio's field names, and what they say a
 * proxy holds is what that proxy received. {@code /metrics} parses as Prometheus' text format with HELP and TYPE
 * for every family.
 */
class DebugViewsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void debugEndpointsShowWhatTheProxiesHold() throws Exception {
        try (MeshFixture mesh = MeshFixture.start();
             FakeEnvoy productpage = FakeEnvoy.connect(mesh.istiod(), "sidecar", "127.0.0.10", "productpage-v1",
                     "default", "bookinfo-productpage", Map.of("app", "productpage", "version", "v1"));
             FakeEnvoy gateway = FakeEnvoy.connect(mesh.istiod(), "router", "127.0.0.30", "istio-ingressgateway-1",
                     "istio-system", "istio-ingressgateway-service-account", Map.of("istio", "ingressgateway"))) {
            mesh.applySample("destination-rule-all");
            mesh.applySample("bookinfo-gateway");
            mesh.awaitInSync();
            String sidecarId = "sidecar~127.0.0.10~productpage-v1.default~default.svc.cluster.local";
            await().atMost(Duration.ofSeconds(30)).until(() -> get(mesh, "/debug/syncz").statusCode() == 200
                    && JSON.readTree(get(mesh, "/debug/syncz").body()).findValues("proxy").size() >= 2);

            // syncz: Istio's SyncStatus fields; the nonces say sent and acknowledged
            JsonNode syncz = JSON.readTree(get(mesh, "/debug/syncz").body());
            JsonNode sidecar = find(syncz, "proxy", sidecarId);
            assertThat(fieldNames(sidecar)).contains("cluster_id", "proxy", "proxy_type", "cluster_sent", "cluster_acked",
                    "listener_sent", "listener_acked", "resources");
            assertThat(sidecar.get("proxy_type").asString()).isEqualTo("sidecar");
            assertThat(sidecar.get("cluster_sent").asString()).isEqualTo(sidecar.get("cluster_acked").asString());
            JsonNode cds = sidecar.get("resources").get("type.googleapis.com/envoy.config.cluster.v3.Cluster");
            assertThat(fieldNames(cds)).contains("sent", "acked", "sentTime");
            assertThat(cds.get("status").asString()).isEqualTo("SYNCED");

            // adsz and connections: Istio's AdsClients
            JsonNode adsz = JSON.readTree(get(mesh, "/debug/adsz").body());
            assertThat(fieldNames(adsz)).contains("totalClients", "clients");
            JsonNode client = find(adsz.get("clients"), "connectionId", null, sidecarId);
            assertThat(fieldNames(client)).contains("connectionId", "connectedAt", "address", "labels", "metadata", "watches");
            assertThat(client.get("labels").get("app").asString()).isEqualTo("productpage");
            JsonNode connections = JSON.readTree(get(mesh, "/debug/connections").body());
            assertThat(connections.get("totalClients").asInt()).isGreaterThanOrEqualTo(2);

            // config_dump: what the sidecar received, as Envoy's admin dump
            String dump = get(mesh, "/debug/config_dump?proxyID=productpage-v1.default").body();
            JsonNode configs = JSON.readTree(dump).get("configs");
            List<String> types = new ArrayList<>();
            configs.forEach(c -> types.add(c.get("@type").asString()));
            assertThat(types).containsExactly("type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
                    "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                    "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                    "type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump",
                    "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
                    "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
                    "type.googleapis.com/envoy.admin.v3.EcdsConfigDump");
            Set<String> dumpedClusters = new TreeSet<>();
            configs.get(1).get("dynamicActiveClusters").forEach(c -> dumpedClusters.add(c.get("cluster").get("name").asString()));
            assertThat(dumpedClusters).isEqualTo(new TreeSet<>(productpage.resources(Cluster.class).stream().map(Cluster::getName).toList()));
            Set<String> dumpedListeners = new TreeSet<>();
            configs.get(2).get("dynamicListeners").forEach(l -> dumpedListeners.add(l.get("name").asString()));
            assertThat(dumpedListeners).isEqualTo(new TreeSet<>(productpage.resources(Listener.class).stream().map(Listener::getName).toList()));
            assertThat(dump).doesNotContain("PRIVATE KEY");
            assertThat(get(mesh, "/debug/config_dump?proxyID=nobody.nowhere").statusCode()).isEqualTo(404);
            assertThat(get(mesh, "/debug/config_dump").statusCode()).isEqualTo(400);

            // registryz, endpointz, configz, push_status, pushz, list, the index, version
            JsonNode registry = JSON.readTree(get(mesh, "/debug/registryz").body());
            JsonNode reviews = find(registry, "hostname", "reviews.default.svc.cluster.local");
            assertThat(fieldNames(reviews)).contains("Attributes", "ports", "hostname", "Resolution", "MeshExternal");
            JsonNode endpointz = JSON.readTree(get(mesh, "/debug/endpointz").body());
            assertThat(endpointz.get("reviews.default.svc.cluster.local").get("default").get("Shards")
                    .get("Kubernetes/Kubernetes").size()).isGreaterThan(0);
            JsonNode configz = JSON.readTree(get(mesh, "/debug/configz").body());
            JsonNode rule = find(configz, "kind", "DestinationRule");
            assertThat(fieldNames(rule)).contains("kind", "apiVersion", "metadata", "spec");
            assertThat(get(mesh, "/debug/push_status").statusCode()).isEqualTo(200);
            JsonNode pushz = JSON.readTree(get(mesh, "/debug/pushz").body());
            assertThat(fieldNames(pushz)).contains("version", "start", "end", "reasons", "proxies", "responsesSentByType");
            assertThat(JSON.readTree(get(mesh, "/debug/list").body()).toString()).contains("syncz", "config_dump", "adsz");
            assertThat(get(mesh, "/debug").body()).contains("/debug/syncz");
            // inject: Istio's map of template name -> template, the sidecar template the injector uses
            JsonNode inject = JSON.readTree(get(mesh, "/debug/inject").body());
            assertThat(inject.get("sidecar").asString()).contains("istio-proxy");
            assertThat(get(mesh, "/version").statusCode()).isEqualTo(200);

            // metrics: strict Prometheus text, Istio's names
            String metrics = get(mesh, "/metrics").body();
            PrometheusTextParser.Families families = PrometheusTextParser.parse(metrics);
            assertThat(families.names()).contains("pilot_xds", "pilot_xds_pushes", "pilot_xds_push_time",
                    "pilot_proxy_convergence_time", "pilot_push_triggers", "pilot_services", "pilot_virt_services",
                    "pilot_total_xds_rejects", "pilot_xds_config_size_bytes", "pilot_xds_send_time",
                    "pilot_proxy_queue_time", "pilot_k8s_cfg_events", "citadel_server_root_cert_expiry_timestamp",
                    "process_cpu_seconds_total", "jvm_memory_used_bytes");
            assertThat(families.type("pilot_xds_pushes")).isEqualTo("counter");
            assertThat(families.type("pilot_xds_push_time")).isEqualTo("histogram");
            assertThat(families.samples()).anyMatch(s -> s.startsWith("pilot_xds_push_time_bucket{type=\"cds\",le=\"0.01\"}"));
            // the two Envoys and the fixture's proxyless client, none of which reports an ISTIO_VERSION
            assertThat(families.samples()).filteredOn(s -> s.startsWith("pilot_xds{version=\"unknown\"} "))
                    .singleElement().satisfies(s -> assertThat(Integer.parseInt(s.substring(s.lastIndexOf(' ') + 1)))
                            .isGreaterThanOrEqualTo(2));
            assertThat(gateway.resources(Listener.class)).isNotEmpty();
        }
    }

    /**
     * Live analysis: a VirtualService bound to a Gateway nobody defined shows up on /debug/analyze as istioctl
     * would print it, and in the gauge, and so does a Service edited afterwards; analyses run at most once per
     * interval (10 s), so this waits for the next.
     */
    @Test
    void liveAnalysisReportsAReferenceToAMissingGateway() throws Exception {
        try (MeshFixture mesh = MeshFixture.start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> get(mesh, "/debug/analyze").statusCode() == 200);
            assertThat(get(mesh, "/debug/analyze").body()).doesNotContain("IST0101");
            mesh.applyOnly("""
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: ratings-edge, namespace: default}
                    spec:
                      hosts: [ratings.example.com]
                      gateways: [no-such-gateway]
                      http:
                      - route:
                        - destination: {host: ratings}
                    """);
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(get(mesh, "/debug/analyze").body())
                    .contains("Error [IST0101] (VirtualService default/ratings-edge)")
                    .contains("no-such-gateway"));
            assertThat(get(mesh, "/metrics").body()).containsPattern("istiod_analysis_messages\\{level=\"Error\"} [1-9]");

            // a Service edited since the last analysis is read anew (unchanged objects are not converted again)
            assertThat(get(mesh, "/debug/analyze").body()).doesNotContain("IST0118");
            mesh.kube().services().inNamespace("default").withName("details").edit(svc -> {
                svc.getSpec().getPorts().get(0).setName("web");
                return svc;
            });
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(get(mesh, "/debug/analyze").body())
                    .contains("Info [IST0118] (Service default/details)"));
        }
    }

    private HttpResponse<String> get(MeshFixture mesh, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.istiod().monitoringPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.has(field) && n.get(field).asString().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    private static JsonNode find(JsonNode array, String field, String unused, String containing) {
        for (JsonNode n : array) {
            if (n.has(field) && n.get(field).asString().contains(containing)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + " containing " + containing + " in " + array);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.propertyNames().forEach(out::add);
        return out;
    }
}
