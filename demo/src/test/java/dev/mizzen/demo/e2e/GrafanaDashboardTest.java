package dev.mizzen.demo.e2e;

import dev.mizzen.demo.testing.FakeEnvoy;
import dev.mizzen.demo.testing.MeshFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in {@code install/grafana} queries only series a running istiod exposes: every metric name
 * in its PromQL is a family of {@code /metrics} (or a histogram family's {@code _bucket}), and every family there
 * has HELP and TYPE.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "install", "grafana", "istiod-dashboard.json");
    /** A metric selector in PromQL: a name followed by its label matchers. */
    private static final Pattern SELECTED = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");

    @Test
    void everyQueriedMetricIsExposedWithHelpAndType() throws Exception {
        Set<String> queried = queriedMetrics(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));
        assertThat(queried).hasSizeGreaterThan(30).contains("pilot_xds_pushes", "pilot_proxy_convergence_time_bucket",
                "pilot_xds", "pilot_total_xds_rejects", "citadel_server_csr_count");
        try (MeshFixture mesh = MeshFixture.start();
             FakeEnvoy sidecar = FakeEnvoy.connect(mesh.istiod(), "sidecar", "127.0.0.10", "productpage-v1",
                     "default", "bookinfo-productpage", Map.of("app", "productpage"))) {
            mesh.applySample("destination-rule-all");
            mesh.awaitInSync();
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + mesh.istiod().monitoringPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            PrometheusTextParser.Families families = PrometheusTextParser.parse(metrics.body());
            for (String family : families.names()) {
                assertThat(families.help().get(family)).as("HELP of %s", family).isNotBlank();
                assertThat(families.type(family)).as("TYPE of %s", family).isNotBlank();
            }
            // Istio's build gauges under Istio's names (Prometheus' client would write pilot_info as "pilot")
            assertThat(families.names()).contains("pilot_info", "istio_build").doesNotContain("pilot");
            List<String> missing = new ArrayList<>();
            for (String name : queried) {
                if (!exposed(name, families)) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("metrics the dashboard queries that /metrics does not expose").isEmpty();
            System.out.printf("dashboard queries %d metrics, all among the %d families of /metrics%n", queried.size(),
                    families.names().size());
        }
    }

    private static boolean exposed(String name, PrometheusTextParser.Families families) {
        if (families.names().contains(name)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String type = families.type(family);
                return "histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket");
            }
        }
        return false;
    }

    private static Set<String> queriedMetrics(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asString()));
        dashboard.path("templating").path("list").forEach(v -> queries.add(v.path("definition").asString("")));
        Set<String> out = new TreeSet<>();
        for (String q : queries) {
            Matcher m = SELECTED.matcher(q);
            while (m.find()) {
                out.add(m.group(1));
            }
            Matcher lv = LABEL_VALUES.matcher(q);
            while (lv.find()) {
                out.add(lv.group(1));
            }
        }
        return out;
    }
}
