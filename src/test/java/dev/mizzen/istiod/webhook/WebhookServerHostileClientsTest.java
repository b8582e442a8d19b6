package dev.mizzen.istiod.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.webhook.ValidationAdmission;
import dev.mizzen.istiod.http.HttpServerLimits;
import dev.mizzen.istiod.testing.HostileClients;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import dev.mizzen.istiod.tls.ServingTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

/**
 * The webhook port under clients that connect and stall, as a hostile pod in the cluster could: the paths
 * the apiserver calls keep answering, stalled handshakes and bodies are cut off at their deadlines, and
 * oversized headers are refused. Loopback only; every wait is bounded.
 */
class WebhookServerHostileClientsTest {
    private static final String JSON = "application/json";
    private static final String PATCH = "[{\"op\":\"add\",\"path\":\"/metadata/labels/injected\",\"value\":\"true\"}]";
    private static final String POD_REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
              "uid":"b0a1","kind":{"group":"","version":"v1","kind":"Pod"},
              "resource":{"group":"","version":"v1","resource":"pods"},
              "namespace":"bookinfo","operation":"CREATE","userInfo":{"username":"system:serviceaccount:kube-system:replicaset-controller"},
              "object":{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"reviews-v1-","namespace":"bookinfo",
                "labels":{"app":"reviews","version":"v1"}},
                "spec":{"serviceAccountName":"bookinfo-reviews","containers":[{"name":"reviews","image":"reviews:1",
                "ports":[{"containerPort":9080}]}]}},
              "dryRun":false}}""";
    /** Long enough that nothing the test holds open is closed by a timeout while it measures. */
    private static final Duration LONGER_THAN_THE_TEST = Duration.ofMinutes(2);

    private ServingTls.Credentials credentials;
    private WebhookServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(HttpServerLimits limits) {
        credentials = SelfSignedCertificate.generate(SelfSignedCertificate.istiodNames("istio-system", "cluster.local"),
                Clock.systemUTC());
        ServingTls tls = ServingTls.of(credentials.key(), credentials.chain());
        server = WebhookServer.start(InetAddress.getLoopbackAddress(), 0, tls, Map.of(
                WebhookServer.VALIDATE_PATH, new ValidationAdmission(new IstioValidator()),
                WebhookServer.INJECT_PATH, request -> AdmissionResponse.patch(PATCH, List.of())), limits);
    }

    @Test
    void validateAndInjectAnswerWithinASecondWhileFiftySilentAndFiftySlowConnectionsAreHeld() throws Exception {
        start(HttpServerLimits.DEFAULTS.withIdleTimeout(LONGER_THAN_THE_TEST).withHandshakeTimeout(LONGER_THAN_THE_TEST));
        assertThat(post(newClient(), "/validate", virtualServiceReview()).statusCode()).isEqualTo(200); // warm, before the attack

        try (HostileClients attack = HostileClients.open(server.port(), 50, 50, clientHello(), Duration.ofSeconds(1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> attack.bytesSent() >= 2 * 50); // every slow one is sending

            for (int round = 0; round < 5; round++) {
                for (String path : List.of("/validate", "/inject")) {
                    byte[] review = path.equals("/validate") ? virtualServiceReview() : POD_REVIEW.getBytes(StandardCharsets.UTF_8);
                    TrustingClient client = newClient(); // a new connection, so a new handshake, each time
                    long start = System.nanoTime();
                    HttpResponse<String> response = post(client, path, review);
                    Duration latency = Duration.ofNanos(System.nanoTime() - start);

                    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
                    assertThat(response.body()).contains("\"allowed\":true");
                    assertThat(latency).as(path + " round " + round).isLessThan(Duration.ofSeconds(1));
                }
            }
            assertThat(attack.closedByServer()).as("the attack was held open throughout").isZero();
        }
    }

    @Test
    void aHandshakeLeftHalfDoneIsClosedAtTheHandshakeDeadline() throws Exception {
        start(HttpServerLimits.DEFAULTS.withIdleTimeout(LONGER_THAN_THE_TEST).withHandshakeTimeout(Duration.ofSeconds(1)));
        byte[] hello = clientHello();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            socket.getOutputStream().flush();

            assertThat(HostileClients.closedByServerWithin(socket, Duration.ofSeconds(10))).isTrue();
        }
        assertThat(post(newClient(), "/validate", virtualServiceReview()).statusCode()).isEqualTo(200);
    }

    @Test
    void aHandshakeSentOneByteAtATimeIsClosedAtTheDeadlineThoughNeverIdle() throws Exception {
        start(HttpServerLimits.DEFAULTS.withIdleTimeout(LONGER_THAN_THE_TEST).withHandshakeTimeout(Duration.ofSeconds(2)));

        try (HostileClients attack = HostileClients.open(server.port(), 0, 1, clientHello(), Duration.ofMillis(200))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> attack.closedByServer() == 1);

            assertThat(attack.bytesSent()).as("bytes kept coming until the deadline").isGreaterThan(5);
        }
    }

    @Test
    void aBodyThatStopsHalfWayIsAnswered408AtTheRequestDeadline() throws Exception {
        start(HttpServerLimits.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1)));

        try (SSLSocket socket = (SSLSocket) TrustingClient.trusting(credentials.leaf()).getSocketFactory()
                .createSocket("localhost", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"kind\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("request body not received within PT1S");
        }
        assertThat(post(newClient(), "/validate", virtualServiceReview()).statusCode()).isEqualTo(200);
    }

    @Test
    void headersLargerThanTheLimitGet431AndTheServerKeepsServing() throws Exception {
        start(HttpServerLimits.DEFAULTS);
        TrustingClient client = newClient();
        HttpRequest huge = HttpRequest.newBuilder(client.uri("/validate"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", JSON)
                .header("X-Padding", "a".repeat(HttpServerLimits.DEFAULTS.maxHeaderBytes()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(virtualServiceReview()))
                .build();

        assertThat(client.send(huge).statusCode()).isEqualTo(431);
        assertThat(post(newClient(), "/validate", virtualServiceReview()).statusCode()).isEqualTo(200);
    }

    private TrustingClient newClient() {
        return new TrustingClient(credentials.leaf(), server.port());
    }

    private static HttpResponse<String> post(TrustingClient client, String path, byte[] review)
            throws IOException, InterruptedException {
        return client.send(client.post(path, JSON, review));
    }

    private static byte[] virtualServiceReview() throws IOException {
        try (InputStream in = WebhookServerHostileClientsTest.class.getClassLoader()
                .getResourceAsStream("validate/review-v1-create-virtualservice.json")) {
            return in.readAllBytes();
        }
    }

    /** A real TLS ClientHello record, as the JDK's client sends it first (its first byte is 0x16). */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 15017);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

}
