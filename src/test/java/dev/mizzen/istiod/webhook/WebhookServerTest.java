package dev.mizzen.istiod.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mizzen.api.admission.AdmissionResponse;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.webhook.ValidationAdmission;
import dev.mizzen.istiod.http.JettyServers;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import dev.mizzen.istiod.tls.ServingTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The webhook server over real HTTPS, with AdmissionReviews in the exact shape the kube-apiserver sends. */
class WebhookServerTest {
    private static final String JSON = "application/json";
    private static final String PATCH = "[{\"op\":\"add\",\"path\":\"/metadata/labels/injected\",\"value\":\"true\"}]";

    private ServingTls tls;
    private WebhookServer server;
    private TrustingClient client;

    @BeforeEach
    void start() {
        ServingTls.Credentials credentials = SelfSignedCertificate.generate(
                SelfSignedCertificate.istiodNames("istio-system", "cluster.local"), Clock.systemUTC());
        tls = ServingTls.of(credentials.key(), credentials.chain());
        server = WebhookServer.start(JettyServers.ALL_INTERFACES, 0, tls, Map.of(
                WebhookServer.VALIDATE_PATH, new ValidationAdmission(new IstioValidator()),
                WebhookServer.INJECT_PATH, request -> AdmissionResponse.patch(PATCH, List.of())));
        client = new TrustingClient(credentials.leaf(), server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aValidV1ReviewIsAllowedAndAnsweredInV1() throws Exception {
        JsonNode review = review("review-v1-create-virtualservice.json");

        JsonNode answer = validate(review);

        assertThat(answer.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("kind").asString()).isEqualTo("AdmissionReview");
        assertThat(answer.path("response").path("uid").asString()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(answer.path("response").has("status")).isFalse();
        assertThat(answer.path("response").has("warnings")).isFalse();
        assertThat(answer.path("response").has("patch")).isFalse();
    }

    @Test
    void anInvalidV1beta1ReviewIsDeniedInV1beta1WithEveryMessageAndTheWarnings() throws Exception {
        JsonNode answer = validate(review("review-v1beta1-update-invalid.json"));

        JsonNode response = answer.path("response");
        assertThat(answer.path("apiVersion").asString()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(response.path("uid").asString()).isEqualTo("b3b9b5a0-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(400);
        assertThat(response.path("status").path("message").asString())
                .contains("spec.http[0].route[0].weight: weight -10 is negative")
                .contains("spec.http[0].timeout: duration 0s must be at least 1ms");
        assertThat(response.path("warnings").get(0).asString()).contains("spec.gateways[0]").contains("legacy gatewayName");
    }

    @Test
    void aDryRunIsAnsweredTheSame() throws Exception {
        ObjectNode dry = (ObjectNode) review("review-v1beta1-update-invalid.json");
        ((ObjectNode) dry.get("request")).put("dryRun", true);

        JsonNode real = validate(review("review-v1beta1-update-invalid.json")).path("response");
        JsonNode dryAnswer = validate(dry).path("response");

        assertThat(dryAnswer).isEqualTo(real);
    }

    @Test
    void aDeleteIsAllowedWhateverTheOldObject() throws Exception {
        JsonNode answer = validate(review("review-v1-delete.json"));

        assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(answer.path("response").path("uid").asString()).isEqualTo("0df28fbd-5f5f-11e8-bc74-36e6bb280816");
    }

    @Test
    void anUnknownIstioKindIsDenied() throws Exception {
        ObjectNode review = (ObjectNode) review("review-v1-create-virtualservice.json");
        ((ObjectNode) review.get("request").get("kind")).put("kind", "VirtualMachine");

        JsonNode response = validate(review).path("response");

        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asString()).startsWith("unrecognized type VirtualMachine; known kinds of networking.istio.io: DestinationRule, EnvoyFilter,");
    }

    @Test
    void aPatchIsSentAsBase64JsonPatch() throws Exception {
        HttpResponse<String> response = client.send(client.post("/inject", JSON, bytes(review("review-v1-create-virtualservice.json"))));

        JsonNode answer = SpecReader.mapper().readTree(response.body()).path("response");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(answer.path("patchType").asString()).isEqualTo("JSONPatch");
        assertThat(new String(Base64.getDecoder().decode(answer.path("patch").asString()), StandardCharsets.UTF_8))
                .isEqualTo(PATCH);
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        HttpResponse<String> response = client.send(client.post("/validate", JSON, "{\"kind\": \"AdmissionReview\",".getBytes()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("could not decode the AdmissionReview").contains("malformed JSON");
    }

    @Test
    void aReviewOfAnotherApiVersionIsABadRequest() throws Exception {
        ObjectNode review = (ObjectNode) review("review-v1-create-virtualservice.json");
        review.put("apiVersion", "admission.k8s.io/v2");

        HttpResponse<String> response = client.send(client.post("/validate", JSON, bytes(review)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unsupported apiVersion \"admission.k8s.io/v2\"");
    }

    @Test
    void aWrongContentTypeIsABadRequest() throws Exception {
        HttpResponse<String> response = client.send(client.post("/validate", "application/yaml",
                bytes(review("review-v1-create-virtualservice.json"))));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid Content-Type \"application/yaml\", want application/json");
    }

    @Test
    void jsonWithACharsetIsFine() throws Exception {
        HttpResponse<String> response = client.send(client.post("/validate", "application/json; charset=utf-8",
                bytes(review("review-v1-create-virtualservice.json"))));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedRequestIsABadRequestAndTheServerKeepsServing() throws Exception {
        byte[] huge = new byte[(int) WebhookServer.MAX_BODY_BYTES + 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');

        HttpResponse<String> response = client.send(client.post("/validate", JSON, huge));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("request body too large, the limit is 6291456 bytes");
        assertThat(validate(review("review-v1-create-virtualservice.json")).path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void anEmptyBodyIsABadRequest() throws Exception {
        HttpResponse<String> response = client.send(client.post("/validate", JSON, new byte[0]));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("no body found");
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(client.uri("/validate")).GET().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        HttpResponse<String> other = client.send(client.post("/validatefoo", JSON, bytes(review("review-v1-delete.json"))));
        HttpResponse<String> none = client.send(client.post("/mutate", JSON, bytes(review("review-v1-delete.json"))));

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(none.statusCode()).isEqualTo(404);
    }

    @Test
    void fiftyRequestsInParallelAreEachAnsweredWithTheirOwnUid() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ObjectNode review = (ObjectNode) review(i % 2 == 0 ? "review-v1-create-virtualservice.json"
                    : "review-v1beta1-update-invalid.json");
            ((ObjectNode) review.get("request")).put("uid", "uid-" + i);
            calls.add(client.client().sendAsync(client.post("/validate", JSON, bytes(review)), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = calls.get(i).join();
            JsonNode answer = SpecReader.mapper().readTree(response.body()).path("response");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(answer.path("uid").asString()).isEqualTo("uid-" + i);
            assertThat(answer.path("allowed").asBoolean()).isEqualTo(i % 2 == 0);
        }
    }

    @Test
    void aRotatedCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
        X509Certificate before = tls.current().leaf();
        ServingTls.Credentials next = SelfSignedCertificate.generate(
                SelfSignedCertificate.istiodNames("istio-system", "cluster.local"), Clock.systemUTC());

        tls.update(next.key(), next.chain());

        TrustingClient trustsNew = new TrustingClient(next.leaf(), server.port());
        HttpResponse<String> response = trustsNew.send(trustsNew.post("/validate", JSON, bytes(review("review-v1-delete.json"))));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(next.leaf());
        TrustingClient trustsOld = new TrustingClient(before, server.port());
        assertThatThrownBy(() -> trustsOld.send(trustsOld.post("/validate", JSON, bytes(review("review-v1-delete.json")))))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aClientThatReachesTheServerByIpAddressIsServed() throws Exception {
        // a webhook configured with a url: by address sends no SNI, and a Host the certificate does not name
        byte[] body = bytes(review("review-v1-delete.json"));
        try (SSLSocket socket = (SSLSocket) TrustingClient.trusting(tls.current().leaf()).getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"uid\":\"0df28fbd-5f5f-11e8-bc74-36e6bb280816\"");
        }
    }

    private JsonNode validate(JsonNode review) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(client.post("/validate", JSON, bytes(review)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON);
        return SpecReader.mapper().readTree(response.body());
    }

    private static byte[] bytes(JsonNode review) {
        return SpecReader.mapper().writeValueAsBytes(review);
    }

    private static JsonNode review(String name) throws IOException {
        try (InputStream in = WebhookServerTest.class.getClassLoader().getResourceAsStream("validate/" + name)) {
            return SpecReader.mapper().readTree(in);
        }
    }
}
