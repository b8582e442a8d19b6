package dev.mizzen.it;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.istiod.local.LocalMode;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.testing.simulation.BookinfoCalls;
import dev.mizzen.pilot.testing.simulation.Failure;
import dev.mizzen.pilot.testing.simulation.Outcome;
import dev.mizzen.pilot.testing.simulation.Result;
import dev.mizzen.pilot.testing.simulation.Simulation;
import dev.mizzen.pilot.testing.simulation.TableCall;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Istio's own simulation ({@code pilot/pkg/simulation}, through xdscheck) answers every row of {@link BookinfoCalls},
 * the table our simulation answers in pilot's BookinfoCallTableTest, over the config Mizzen's istiod serves, in
 * local mode, for Bookinfo's own {@code bookinfo.yaml} with each sample set applied; Istio's xdstest validations
 * find nothing wrong with that config; and our simulation, run over the very bytes xdscheck received, answers
 * the table alike. Istio's simulation matches routes by path only (its traffic.go: "TODO this only handles path"),
 * so where header or query matchers stand before the route it chose, it is held to the table up to the virtual
 * host and the route is left to our simulation.
 */
class IstioSimulationTest {
    private static final Logger LOG = LoggerFactory.getLogger(IstioSimulationTest.class);
    private static final List<ConfigKind<?>> SAMPLE_KINDS = List.of(ConfigKind.VIRTUAL_SERVICE,
            ConfigKind.DESTINATION_RULE, ConfigKind.GATEWAY);
    private static final Pattern KIND = Pattern.compile("(?m)^kind: (VirtualService|DestinationRule|Gateway)$");
    private static final Pattern NAME = Pattern.compile("(?m)^  name: (\\S+)$");
    private static final String GATEWAY_IP = "10.1.9.1";

    @Test
    void istiosSimulationAndOursAnswerTheBookinfoTableOverWhatIstiodServes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bookinfo.yaml"), resource("/istio/bookinfo/platform/kube/bookinfo.yaml"));
        LocalMode.Options options = LocalMode.Options.of(dir).withStateDir(dir.resolve(".state"))
                .withQuiet(Duration.ofMillis(50));
        List<String> disagreements = new ArrayList<>();
        List<String> beyondIstio = new ArrayList<>();
        int calls = 0;
        try (LocalMode local = LocalMode.start(options, TestIstiod.settings(), Optional.empty());
             XdsCheck xdscheck = XdsCheck.start(logDir().resolve("xdscheck-" + System.currentTimeMillis() + ".log"))) {
            KubernetesClient client = local.api().client();
            await().atMost(TestIstiod.TIMEOUT).until(() -> local.istiod().pushes().current()
                    .map(p -> p.endpoints("reviews.default.svc.cluster.local").size() == 3
                            && p.endpoints("details.default.svc.cluster.local").size() == 1).orElse(false));
            Pod productpage = client.pods().inNamespace("default").withLabel("app", "productpage").list().getItems().get(0);
            Map<TableCall.ProxyKind, XdsCheck.ProxySpec> proxies = Map.of(
                    TableCall.ProxyKind.PRODUCTPAGE_SIDECAR, new XdsCheck.ProxySpec("sidecar",
                            productpage.getStatus().getPodIP(), productpage.getMetadata().getName(), "default",
                            productpage.getSpec().getServiceAccountName(), productpage.getMetadata().getLabels()),
                    TableCall.ProxyKind.INGRESS_GATEWAY, new XdsCheck.ProxySpec("router", GATEWAY_IP,
                            "istio-ingressgateway-5b7c", "istio-system", "istio-ingressgateway-service-account",
                            Map.of("istio", "ingressgateway", "app", "istio-ingressgateway")));
            TableCall.Addresses addresses = new TableCall.Addresses() {
                @Override
                public String serviceVip(String service) {
                    return client.services().inNamespace("default").withName(service).get().getSpec().getClusterIP();
                }

                @Override
                public String proxyIp() {
                    return productpage.getStatus().getPodIP();
                }
            };
            String xds = "127.0.0.1:" + local.istiod().xdsPort();

            for (List<String> samples : BookinfoCalls.sampleSets()) {
                apply(dir, local, samples);
                for (TableCall.ProxyKind kind : TableCall.ProxyKind.values()) {
                    List<TableCall> rows = BookinfoCalls.all().stream()
                            .filter(r -> r.samples().equals(samples) && r.proxy() == kind).toList();
                    if (rows.isEmpty()) {
                        continue;
                    }
                    XdsCheck.Fetched fetched = xdscheck.fetch(xds, proxies.get(kind));
                    LOG.info("{} {}: {} listeners, {} clusters, {} route configurations, {} endpoint sets",
                            kind, samples, fetched.listeners(), fetched.clusters(), fetched.routes(), fetched.endpoints());
                    assertThat(fetched.listeners()).as("%s %s listeners", kind, samples).isPositive();
                    assertThat(fetched.validation()).as("Istio's xdstest validations, %s %s", kind, samples).isEmpty();
                    Simulation ours = Simulation.of(fetched.resources());
                    for (TableCall row : rows) {
                        calls++;
                        JsonNode answer = xdscheck.call(istioCall(row, addresses));
                        Outcome istio = istioOutcome(answer);
                        Outcome judged = row.expected();
                        if (answer.has("unmodelled")) {
                            // Istio's simulation matches paths only: the route, hence the clusters, are Envoy's
                            // header matching's to decide, which our simulation (below) does
                            judged = new Outcome(judged.failure(), judged.listener(), judged.routeConfig(),
                                    judged.virtualHost(), null, null);
                            beyondIstio.add(row.name() + " (" + answer.get("unmodelled") + ")");
                        }
                        List<String> istioWrong = judged.mismatches(istio);
                        if (!istioWrong.isEmpty()) {
                            disagreements.add("Istio's simulation, " + row + ": " + istioWrong + " (got " + istio + ")");
                        }
                        Result result = ours.call(row.request(addresses));
                        List<String> oursWrong = row.expected().mismatches(Outcome.of(result));
                        if (!oursWrong.isEmpty()) {
                            disagreements.add("our simulation over the served bytes, " + row + ": " + oursWrong
                                    + " (" + result.describe() + ")");
                        }
                    }
                }
            }
        }
        LOG.info("{} calls through Istio's simulation and ours, {} disagreements; {} routed by matchers Istio's "
                + "simulation does not model, judged by it up to the virtual host: {}", calls, disagreements.size(),
                beyondIstio.size(), beyondIstio);
        assertThat(calls).isEqualTo(BookinfoCalls.all().size());
        assertThat(disagreements).as("rows where a simulation does not give the table's answer").isEmpty();
    }

    /** Replaces the sample file, waiting first for istiod's push to hold none of the samples' kinds, then all. */
    private static void apply(Path dir, LocalMode local, List<String> samples) throws IOException {
        Path file = dir.resolve("samples.yaml");
        Files.deleteIfExists(file);
        await().atMost(TestIstiod.TIMEOUT).until(() -> sampleConfigs(local) == 0);
        StringBuilder yaml = new StringBuilder();
        for (String sample : samples) {
            yaml.append(resource("/istio/bookinfo/networking/" + sample + ".yaml")).append("\n---\n");
        }
        // a later sample may redefine an object of an earlier one (fault-injection-details-v1's DestinationRule)
        Set<String> objects = new HashSet<>();
        for (String doc : yaml.toString().split("\n---\n")) {
            Matcher kind = KIND.matcher(doc);
            Matcher name = NAME.matcher(doc);
            if (kind.find() && name.find()) {
                objects.add(kind.group(1) + "/" + name.group(1));
            }
        }
        Files.writeString(file, yaml);
        int count = objects.size();
        await().atMost(TestIstiod.TIMEOUT).until(() -> sampleConfigs(local) == count);
    }

    private static int sampleConfigs(LocalMode local) {
        PushContext push = local.istiod().pushes().current().orElseThrow();
        return SAMPLE_KINDS.stream().mapToInt(k -> push.configs().list(k).size()).sum();
    }

    private static ObjectNode istioCall(TableCall row, TableCall.Addresses addresses) {
        ObjectNode call = XdsCheck.newCall().put("address", addresses.of(row.target())).put("port", row.port())
                .put("protocol", row.protocol().name().toLowerCase(Locale.ROOT))
                .put("tls", row.tls().name().toLowerCase(Locale.ROOT))
                .put("callMode", row.mode().name().toLowerCase(Locale.ROOT))
                .put("host", row.authority()).put("path", row.path());
        ObjectNode headers = call.putObject("headers");
        row.headers().forEach(headers::put);
        return call;
    }

    /** Istio's simulation.Result in the table's terms; its errors are the Err* values of traffic.go. */
    static Outcome istioOutcome(JsonNode answer) {
        String error = answer.path("error").asString("");
        Failure.Kind failure = switch (error) {
            case "" -> answer.has("missingClusters") ? Failure.Kind.CLUSTER_NOT_FOUND : null;
            case "no listener matched" -> Failure.Kind.NO_LISTENER;
            case "no filter chains matched", "multiple filter chains matched" -> Failure.Kind.NO_FILTER_CHAIN;
            case "invalid TLS", "invalid mTLS" -> Failure.Kind.TLS_MISMATCH;
            case "protocol error" -> Failure.Kind.NOT_HTTP;
            case "no virtual host matched" -> Failure.Kind.NO_VIRTUAL_HOST;
            case "no route matched" -> Failure.Kind.NO_ROUTE;
            default -> throw new IllegalStateException("Istio's simulation answered " + answer);
        };
        Map<String, Integer> clusters = new LinkedHashMap<>();
        String cluster = answer.path("cluster").asString("");
        if (!cluster.isEmpty()) {
            clusters.put(cluster, 100);
        }
        answer.path("weightedClusters").properties().forEach(e -> clusters.put(e.getKey(), e.getValue().asInt()));
        Integer endpoints = clusters.size() == 1 && answer.path("endpointsByCluster").has(cluster)
                ? answer.path("endpointsByCluster").get(cluster).asInt() : null;
        return new Outcome(failure, blankToNull(answer.path("listener").asString("")),
                blankToNull(answer.path("routeConfig").asString("")), blankToNull(answer.path("virtualHost").asString("")),
                clusters.isEmpty() ? null : clusters, endpoints);
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String resource(String path) {
        try (InputStream in = IstioSimulationTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path logDir() {
        return Paths.get(System.getProperty("mizzen.it.logs", "target/it-logs")).toAbsolutePath();
    }
}
