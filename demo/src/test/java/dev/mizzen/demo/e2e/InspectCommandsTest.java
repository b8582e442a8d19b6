package dev.mizzen.demo.e2e;

import dev.mizzen.demo.testing.FakeEnvoy;
import dev.mizzen.demo.testing.MeshFixture;
import dev.mizzen.istiod.BuildInfo;
import dev.mizzen.istiod.Istiod;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inspecting verbs ({@code istiod proxy-status}, {@code proxy-config}, {@code version}, {@code help}) against a
 * running istiod with a sidecar and a gateway connected, run as a user runs them: what they print is what the
 * proxies received.
 */
class InspectCommandsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SIDECAR = "sidecar~127.0.0.10~productpage-v1.default~default.svc.cluster.local";
    private static final String[] STATUS_COLUMNS = {"NAME", "CLUSTER", "ISTIOD", "VERSION", "SUBSCRIBED TYPES"};
    private static final String[] SYNC_COLUMNS = {"NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS", "ISTIOD", "VERSION"};
    private static final String GATEWAY = "router~127.0.0.30~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local";

    @Test
    void verbsPrintWhatTheProxiesReceived() throws Exception {
        try (MeshFixture mesh = MeshFixture.start();
             FakeEnvoy productpage = FakeEnvoy.connect(mesh.istiod(), "sidecar", "127.0.0.10", "productpage-v1",
                     "default", "bookinfo-productpage", Map.of("app", "productpage", "version", "v1"));
             FakeEnvoy gateway = FakeEnvoy.connect(mesh.istiod(), "router", "127.0.0.30", "istio-ingressgateway-1",
                     "istio-system", "istio-ingressgateway-service-account", Map.of("istio", "ingressgateway"))) {
            mesh.applySample("destination-rule-all");
            mesh.applySample("bookinfo-gateway");
            mesh.awaitInSync();
            String address = "127.0.0.1:" + mesh.istiod().monitoringPort();

            // proxy-status: the current istioctl's columns, what each proxy subscribed to
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Run status = run("proxy-status", "--istiod-address", address);
                assertThat(status.code()).isZero();
                List<List<String>> rows = table(status.out(), STATUS_COLUMNS);
                assertThat(row(rows, SIDECAR)).containsExactly(SIDECAR, "Kubernetes", address, "*", "4 (CDS,LDS,EDS,RDS)");
                assertThat(row(rows, GATEWAY).get(4)).startsWith("4 (CDS,LDS");
            });
            // --sync-state: the older istioctl's per-type columns; both proxies in sync on every type they were sent
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<List<String>> rows = table(run("proxy-status", "--sync-state", "--istiod-address", address).out(),
                        SYNC_COLUMNS);
                assertThat(row(rows, SIDECAR)).containsExactly(SIDECAR, "Kubernetes", "SYNCED", "SYNCED", "SYNCED",
                        "SYNCED", "NOT SENT", address, "*");
                assertThat(row(rows, GATEWAY).subList(2, 4)).containsExactly("SYNCED", "SYNCED");
            });
            System.out.print(run("proxy-status", "--istiod-address", address).out());
            System.out.print(run("proxy-status", "--sync-state", "--istiod-address", address).out());
            System.out.print(run("proxy-config", "route", "productpage-v1.default", "--istiod-address", address).out());
            Run one = run("proxy-status", "productpage-v1.default", "--istiod-address", address);
            assertThat(table(one.out(), STATUS_COLUMNS)).hasSize(2);
            assertThat(table(one.out(), STATUS_COLUMNS).get(1).get(0)).isEqualTo(SIDECAR);

            // proxy-config cluster: one row per cluster the sidecar received, with its parsed name and type
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<List<String>> rows = table(run("proxy-config", "cluster", "productpage-v1.default",
                        "--istiod-address", address).out(), "SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE",
                        "DESTINATION RULE");
                Set<String> printed = new TreeSet<>();
                rows.subList(1, rows.size()).forEach(r -> printed.add(String.join(" ", r.subList(0, 5))));
                Set<String> received = new TreeSet<>();
                for (Cluster c : productpage.resources(Cluster.class)) {
                    String[] p = c.getName().split("\\|", -1);
                    received.add(p.length > 3
                            ? String.join(" ", p[3], p[1], p[2].isEmpty() ? "-" : p[2], p[0], c.getType().name())
                            : String.join(" ", c.getName(), "-", "-", "-", c.getType().name()));
                }
                assertThat(printed).isEqualTo(received).contains(
                        "reviews.default.svc.cluster.local 9080 v2 outbound EDS");
            });

            // -o json: the clusters themselves
            JsonNode clusters = JSON.readTree(run("proxy-config", "clusters", "productpage-v1.default", "-o", "json",
                    "--istiod-address", address).out());
            Set<String> jsonNames = new TreeSet<>();
            clusters.forEach(c -> jsonNames.add(c.get("name").asString()));
            assertThat(jsonNames).isEqualTo(names(productpage.resources(Cluster.class).stream().map(Cluster::getName).toList()));

            // proxy-config listener: every listener's address and port; its HTTP chains name the routes received
            List<List<String>> listenerRows = table(run("proxy-config", "listener", "productpage-v1.default",
                    "--istiod-address", address).out(), "ADDRESS", "PORT", "MATCH", "DESTINATION");
            Set<String> printedListeners = new TreeSet<>();
            Set<String> printedRoutes = new TreeSet<>();
            for (List<String> r : listenerRows.subList(1, listenerRows.size())) {
                printedListeners.add(r.get(0) + ":" + r.get(1));
                if (r.get(3).startsWith("Route: ")) {
                    printedRoutes.add(r.get(3).substring("Route: ".length()));
                }
            }
            Set<String> receivedListeners = new TreeSet<>();
            for (Listener l : productpage.resources(Listener.class)) {
                receivedListeners.add(l.getAddress().getSocketAddress().getAddress() + ":" + l.getAddress().getSocketAddress().getPortValue());
            }
            assertThat(printedListeners).isEqualTo(receivedListeners).contains("0.0.0.0:15001");
            Set<String> receivedRoutes = names(productpage.resources(RouteConfiguration.class).stream().map(RouteConfiguration::getName).toList());
            assertThat(printedRoutes).isNotEmpty().isEqualTo(receivedRoutes);

            // proxy-config route: one row per route of each virtual host received
            List<List<String>> routeRows = table(run("proxy-config", "route", "productpage-v1.default",
                    "--istiod-address", address).out(), "NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
            List<String> printedVhosts = new ArrayList<>();
            routeRows.subList(1, routeRows.size()).forEach(r -> printedVhosts.add(r.get(0) + " " + r.get(1)));
            List<String> receivedVhosts = new ArrayList<>();
            for (RouteConfiguration rc : productpage.resources(RouteConfiguration.class)) {
                rc.getVirtualHostsList().forEach(vh -> vh.getRoutesList().forEach(r -> receivedVhosts.add(rc.getName() + " " + vh.getName())));
            }
            assertThat(printedVhosts).containsExactlyInAnyOrderElementsOf(receivedVhosts).contains("9080 reviews.default.svc.cluster.local:9080");

            // proxy-config endpoint: one row per endpoint received, with its cluster
            List<List<String>> endpointRows = table(run("proxy-config", "endpoint", "productpage-v1.default",
                    "--istiod-address", address).out(), "ENDPOINT", "STATUS", "LOCALITY", "CLUSTER");
            List<String> printedEndpoints = new ArrayList<>();
            endpointRows.subList(1, endpointRows.size()).forEach(r -> printedEndpoints.add(r.get(0) + " " + r.get(3)));
            List<String> receivedEndpoints = new ArrayList<>();
            for (ClusterLoadAssignment cla : productpage.resources(ClusterLoadAssignment.class)) {
                cla.getEndpointsList().forEach(l -> l.getLbEndpointsList().forEach(e -> receivedEndpoints.add(
                        e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                                + e.getEndpoint().getAddress().getSocketAddress().getPortValue() + " " + cla.getClusterName())));
            }
            assertThat(printedEndpoints).isNotEmpty().containsExactlyInAnyOrderElementsOf(receivedEndpoints);

            // proxy-config all -o yaml: the whole dump, no private key
            Run all = run("proxy-config", "all", "istio-ingressgateway-1", "-o", "yaml", "--istiod-address", address);
            assertThat(all.code()).isZero();
            assertThat(all.out()).contains("envoy.admin.v3.ClustersConfigDump").doesNotContain("PRIVATE KEY");

            // version: client, control plane, data plane
            Run version = run("version", "--istiod-address", address);
            int proxies = table(run("proxy-status", "--istiod-address", address).out(), STATUS_COLUMNS).size() - 1;
            assertThat(proxies).isGreaterThanOrEqualTo(3);
            assertThat(version.out().lines().toList()).containsExactly(
                    "client version: " + BuildInfo.CURRENT.version(),
                    "control plane version: " + BuildInfo.CURRENT.version(),
                    // the Envoys and the fixture's proxyless clients report no ISTIO_VERSION
                    "data plane version: unknown (" + proxies + " proxies)");

            // help
            Run help = run("help", "proxy-config");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("cluster", "listener", "route", "endpoint", "secret", "all");

            // mistakes: one line, exit 2
            Run unknown = run("proxy-config", "cluster", "nobody.nowhere", "--istiod-address", address);
            assertThat(unknown.code()).isEqualTo(2);
            assertThat(unknown.err().lines().toList()).singleElement().asString()
                    .startsWith("istiod: no proxy nobody.nowhere is connected to istiod at " + address);
            assertThat(run("proxy-status", "nobody.nowhere", "--istiod-address", address).code()).isEqualTo(2);
        }
        Run down = run("proxy-status", "--istiod-address", "127.0.0.1:1");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err().lines().toList()).singleElement().asString()
                .startsWith("istiod: cannot reach istiod at 127.0.0.1:1");
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Istiod.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Rows cut where the header's columns start, as one reads a tabwriter table; the header comes first. */
    private static List<List<String>> table(String out, String... headers) {
        List<String> lines = out.lines().toList();
        assertThat(lines).isNotEmpty();
        String header = lines.get(0);
        int[] starts = new int[headers.length];
        int from = 0;
        for (int i = 0; i < headers.length; i++) {
            starts[i] = header.indexOf(headers[i], from);
            assertThat(starts[i]).as("column %s in %s", headers[i], header).isGreaterThanOrEqualTo(from);
            from = starts[i] + headers[i].length();
        }
        assertThat(header.substring(starts[headers.length - 1])).isEqualTo(headers[headers.length - 1]);
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < headers.length; i++) {
                int end = i + 1 < headers.length ? Math.min(starts[i + 1], line.length()) : line.length();
                cells.add(starts[i] < line.length() ? line.substring(starts[i], end).trim() : "");
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> row(List<List<String>> rows, String name) {
        return rows.stream().filter(r -> r.get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }

    private static Set<String> names(List<String> names) {
        return new TreeSet<>(names);
    }
}
