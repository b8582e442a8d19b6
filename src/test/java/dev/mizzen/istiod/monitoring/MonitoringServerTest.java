package dev.mizzen.istiod.monitoring;

import dev.mizzen.istiod.BuildInfo;
import dev.mizzen.istiod.debug.DebugAccess;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mizzen.istiod.http.HttpServerLimits;
import dev.mizzen.istiod.testing.HostileClients;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.xds.XdsAccess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The monitoring port: its pages, what it refuses, and that the readiness probe keeps being answered while
 * clients connect and stall. Loopback only; every wait is bounded.
 */
class MonitoringServerTest {
    /** Long enough that nothing the test holds open is closed by a timeout while it measures. */
    private static final Duration LONGER_THAN_THE_TEST = Duration.ofMinutes(2);

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutorService pushes = Executors.newSingleThreadExecutor();
    private MonitoringServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        pushes.shutdownNow();
    }

    private void start(HttpServerLimits limits) {
        new AdsServer(proxy -> Optional.empty(), pushes, meters, XdsAccess.PLAINTEXT);
        server = MonitoringServer.start(InetAddress.getLoopbackAddress(), 0, new MonitoringServer.Pages(meters,
                Optional.empty(), new DebugAccess(credentials -> CompletableFuture.failedFuture(
                        new IllegalStateException("no authenticator")), "istio-system"), BuildInfo.CURRENT), limits);
    }

    @Test
    void thePagesAnswer() throws Exception {
        start(HttpServerLimits.DEFAULTS);
        Counter.builder("mizzen_test_total").register(meters).increment();

        HttpResponse<String> ready = get("/ready");
        HttpResponse<String> metrics = get("/metrics");
        HttpResponse<String> version = get("/version");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("mizzen_test_total 1\n").contains("# TYPE pilot_xds_pushes counter\n")
                .contains("pilot_xds_pushes{type=\"cds\"} 0\n");
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).isEqualTo(BuildInfo.CURRENT.toString());
    }

    @Test
    void otherPathsMethodsAndBodiesAreRefused() throws Exception {
        start(HttpServerLimits.DEFAULTS);

        HttpResponse<String> unknown = get("/readyz");
        HttpResponse<String> post = send(request("/ready").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> body = send(request("/ready").method("GET", HttpRequest.BodyPublishers.ofString("hello")));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(body.statusCode()).isEqualTo(413);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void readyAnswersWithinASecondWhileFiftySilentAndFiftySlowConnectionsAreHeld() throws Exception {
        start(HttpServerLimits.DEFAULTS.withIdleTimeout(LONGER_THAN_THE_TEST));
        assertThat(get("/ready").statusCode()).isEqualTo(200); // warm, before the attack
        byte[] requestLine = "GET /ready HTTP/1.1\r\nHost: istiod\r\nUser-Agent: slow\r\n".getBytes(StandardCharsets.US_ASCII);

        try (HostileClients attack = HostileClients.open(server.port(), 50, 50, requestLine, Duration.ofSeconds(1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> attack.bytesSent() >= 2 * 50); // every slow one is sending

            for (int round = 0; round < 10; round++) {
                HttpClient client = HttpClient.newHttpClient(); // a new connection each time, as the kubelet's probe
                long start = System.nanoTime();
                HttpResponse<String> ready = client.send(request("/ready").GET().build(), HttpResponse.BodyHandlers.ofString());
                Duration latency = Duration.ofNanos(System.nanoTime() - start);

                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(latency).as("round " + round).isLessThan(Duration.ofSeconds(1));
            }
            assertThat(attack.closedByServer()).as("the attack was held open throughout").isZero();
        }
    }

    @Test
    void pastTheConnectionCapNewClientsWaitUntilAConnectionCloses() throws Exception {
        start(new HttpServerLimits(LONGER_THAN_THE_TEST, LONGER_THAN_THE_TEST, LONGER_THAN_THE_TEST, 16 * 1024, 5, 8));
        HttpClient client = HttpClient.newHttpClient();

        CompletableFuture<HttpResponse<String>> waiting;
        try (HostileClients attack = HostileClients.open(server.port(), 5, 0, new byte[0], Duration.ofSeconds(1))) {
            waiting = client.sendAsync(request("/ready").GET().build(), HttpResponse.BodyHandlers.ofString());

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        }
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestLeftHalfSentIsClosedAtTheIdleTimeout() throws Exception {
        start(HttpServerLimits.DEFAULTS.withIdleTimeout(Duration.ofSeconds(1)));

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write('G');
            socket.getOutputStream().flush();

            assertThat(HostileClients.closedByServerWithin(socket, Duration.ofSeconds(10))).isTrue();
        }
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void headersLargerThanTheLimitGet431AndTheServerKeepsServing() throws Exception {
        start(HttpServerLimits.DEFAULTS);

        HttpResponse<String> huge = send(request("/ready").header("X-Padding", "a".repeat(HttpServerLimits.DEFAULTS.maxHeaderBytes())).GET());

        assertThat(huge.statusCode()).isEqualTo(431);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
