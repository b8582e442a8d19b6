package dev.mizzen.it;

import dev.mizzen.demo.PodRanges;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.demo.StandInPods;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.local.LocalMode;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.pilot.xds.ConnectionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proxyless gRPC as grpc-go reads it (google.golang.org/grpc/xds, through grpcgo) beside grpc-java, against one
 * istiod in local mode serving Bookinfo's own {@code bookinfo.yaml}, with the demo's stand-in pods answering on
 * the pods' loopback IPs: under each of Istio's Bookinfo samples both clients reach the same workloads (the
 * weighted split, the header match, a route to a subset without pods or without a rule), and neither rejects a
 * response istiod sends.
 */
class GrpcGoProxylessTest {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcGoProxylessTest.class);
    private static final Duration TIMEOUT = TestIstiod.TIMEOUT;
    private static final String REVIEWS = "reviews:9080";

    /** A proxyless client, whichever library it is built with. */
    private interface Client {
        Map<String, Integer> tally(String target, Map<String, String> headers, int calls);
    }

    @Test
    void grpcGoAndGrpcJavaRouteAlikeAndNeitherNacks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bookinfo.yaml"), resource("/istio/bookinfo/platform/kube/bookinfo.yaml"));
        LocalMode.Options options = LocalMode.Options.of(dir).withStateDir(dir.resolve(".state"))
                .withPodRange(PodRanges.free(9080)).withQuiet(Duration.ofMillis(50));
        try (LocalMode local = LocalMode.start(options, TestIstiod.settings(), Optional.empty());
             StandInPods pods = StandInPods.start(local.api().client());
             ProxylessClient java = ProxylessClient.isolated(bootstrap(local.istiod(), "127.0.0.2", "client-java"));
             GrpcGoClient go = GrpcGoClient.start(bootstrap(local.istiod(), "127.0.0.3", "client-go"),
                     logDir().resolve("grpcgo-" + System.currentTimeMillis() + ".log"))) {
            Map<String, Client> clients = new LinkedHashMap<>();
            clients.put("grpc-java", java::tally);
            clients.put("grpc-go", go::tally);
            Set<String> allReviews = Set.of("reviews v1", "reviews v2", "reviews v3");

            // no routing rules: round robin over every reviews pod
            await().atMost(TIMEOUT).until(() -> pods.serving() == 6);
            for (var c : clients.entrySet()) {
                await(c.getKey() + " reaches every reviews pod").atMost(TIMEOUT).ignoreExceptions().until(() ->
                        c.getValue().tally(REVIEWS, Map.of(), 30).keySet().equals(allReviews));
                assertThat(c.getValue().tally("ratings:9080", Map.of(), 5)).as(c.getKey())
                        .containsExactly(Map.entry("ratings v1", 5));
            }

            apply(dir, "destination-rule-all", "virtual-service-reviews-80-20");
            for (var c : clients.entrySet()) {
                await().atMost(TIMEOUT).until(() -> !c.getValue().tally(REVIEWS, Map.of(), 20).containsKey("reviews v3"));
                Map<String, Integer> tally = c.getValue().tally(REVIEWS, Map.of(), 2000);
                LOG.info("{} 80/20 over 2000 calls: {}", c.getKey(), tally);
                assertThat(tally).as(c.getKey()).containsOnlyKeys("reviews v1", "reviews v2");
                assertThat(tally.get("reviews v1") / 2000.0).as(c.getKey()).isBetween(0.76, 0.84);
            }

            apply(dir, "destination-rule-all", "virtual-service-reviews-jason-v2-v3");
            for (var c : clients.entrySet()) {
                await().atMost(TIMEOUT).until(() -> c.getValue().tally(REVIEWS, Map.of("end-user", "jason"), 10)
                        .equals(Map.of("reviews v2", 10)));
                assertThat(c.getValue().tally(REVIEWS, Map.of("end-user", "bob"), 20)).as(c.getKey())
                        .isEqualTo(Map.of("reviews v3", 20));
                assertThat(c.getValue().tally(REVIEWS, Map.of(), 20)).as(c.getKey()).isEqualTo(Map.of("reviews v3", 20));
                assertThat(c.getValue().tally(REVIEWS, Map.of("end-user", "jason"), 20)).as(c.getKey())
                        .isEqualTo(Map.of("reviews v2", 20));
            }

            // destination-rule-all defines details v2, but Bookinfo runs only details v1: no endpoints
            apply(dir, "destination-rule-all", "virtual-service-details-v2");
            for (var c : clients.entrySet()) {
                await().atMost(TIMEOUT).until(() -> c.getValue().tally("details:9080", Map.of(), 5)
                        .equals(Map.of("error:UNAVAILABLE", 5)));
            }
            // no rule defines the subset: the route names a cluster istiod does not serve (from a state where
            // details answers, so that the failure is this config's)
            apply(dir);
            for (var c : clients.entrySet()) {
                await().atMost(TIMEOUT).until(() -> c.getValue().tally("details:9080", Map.of(), 5)
                        .equals(Map.of("details v1", 5)));
            }
            apply(dir, "virtual-service-details-v2");
            for (var c : clients.entrySet()) {
                await().atMost(TIMEOUT).until(() -> c.getValue().tally("details:9080", Map.of(), 5)
                        .equals(Map.of("error:UNAVAILABLE", 5)));
                // and the other services still work
                assertThat(c.getValue().tally("ratings:9080", Map.of(), 5)).as(c.getKey())
                        .isEqualTo(Map.of("ratings v1", 5));
            }

            List<ConnectionStatus> proxyless = local.istiod().ads().status().stream()
                    .filter(s -> s.connectionId().contains("client-")).toList();
            // each client's streams (both libraries open one per channel target here)
            assertThat(proxyless).extracting(s -> s.proxy().podName()).containsOnly("client-java", "client-go")
                    .contains("client-java", "client-go");
            LOG.info("{} proxyless streams, NACKs per stream: {}", proxyless.size(),
                    proxyless.stream().map(s -> s.connectionId() + "=" + s.nacks()).toList());
            for (ConnectionStatus s : proxyless) {
                assertThat(s.nacks()).as("NACKs from " + s.connectionId() + ": " + s.types()).isZero();
                s.types().values().forEach(t -> assertThat(t.lastError()).as(s.connectionId() + " " + t.typeUrl()).isEmpty());
            }
        }
    }

    /** A proxyless workload's bootstrap on istiod's plaintext port, as local mode serves it. */
    private static Map<String, Object> bootstrap(IstiodServer istiod, String ip, String pod) {
        return ProxylessClient.bootstrap("127.0.0.1:" + istiod.xdsPort(),
                "sidecar~" + ip + "~" + pod + ".default~default.svc.cluster.local", "default", Map.of("app", pod));
    }

    private static void apply(Path dir, String... samples) throws IOException {
        StringBuilder yaml = new StringBuilder();
        for (String sample : samples) {
            yaml.append(resource("/istio/bookinfo/networking/" + sample + ".yaml")).append("\n---\n");
        }
        Files.writeString(dir.resolve("samples.yaml"), yaml);
    }

    private static String resource(String path) {
        try (InputStream in = GrpcGoProxylessTest.class.getResourceAsStream(path)) {
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
