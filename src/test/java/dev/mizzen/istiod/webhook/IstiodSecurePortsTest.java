package dev.mizzen.istiod.webhook;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import dev.mizzen.istiod.local.LocalApiServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * istiod's TLS ports with the certificate its own CA issued: the admission webhooks (/inject, /validate)
 * as the apiserver calls them, and the CA and ADS on the secure xDS port.
 */
class IstiodSecurePortsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LocalApiServer api;
    private IstiodServer istiod;

    @BeforeEach
    void start() {
        api = LocalApiServer.start();
        IstiodSettings defaults = IstiodSettings.defaults().withEphemeralPorts();
        List<String> names = new ArrayList<>(CitadelSettings.ServingSettings.forIstiod("istio-system", "cluster.local").dnsNames());
        names.add("localhost"); // the test reaches the webhooks by this name
        CitadelSettings ca = defaults.citadel().withServing(new CitadelSettings.ServingSettings(names, Duration.ofHours(24), 80));
        istiod = IstiodServer.start(defaults.withCitadel(ca), api.client());
    }

    @AfterEach
    void stop() {
        istiod.close();
        api.close();
    }

    private TrustingClient webhooks() {
        return new TrustingClient(istiod.citadel().roots().get(0), istiod.webhookPort());
    }

    @Test
    void aPodInALabelledNamespaceGetsTheSidecarThroughInject() throws Exception {
        api.client().resource(new NamespaceBuilder().withNewMetadata().withName("bookinfo")
                .addToLabels("istio-injection", "enabled").endMetadata().build()).create();
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"b0a1","kind":{"group":"","version":"v1","kind":"Pod"},
                  "resource":{"group":"","version":"v1","resource":"pods"},
                  "namespace":"bookinfo","operation":"CREATE","userInfo":{"username":"system:serviceaccount:kube-system:replicaset-controller"},
                  "object":{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"reviews-v1-","namespace":"bookinfo",
                    "labels":{"app":"reviews","version":"v1"}},
                    "spec":{"serviceAccountName":"bookinfo-reviews","containers":[{"name":"reviews","image":"reviews:1",
                    "ports":[{"containerPort":9080}]}]}},
                  "dryRun":false}}""";
        TrustingClient client = webhooks();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> response = client.send(client.post("/inject", "application/json",
                    review.getBytes(StandardCharsets.UTF_8)));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body()).get("response");
            assertThat(answer.get("uid").asString()).isEqualTo("b0a1");
            assertThat(answer.get("allowed").asBoolean()).isTrue();
            assertThat(answer.get("patchType").asString()).isEqualTo("JSONPatch");
            String patch = new String(Base64.getDecoder().decode(answer.get("patch").asString()), StandardCharsets.UTF_8);
            assertThat(patch).contains("istio-proxy").contains("istio-init");
        });
    }

    @Test
    void aProxyConfigOfThePodsNamespaceReachesTheInjectedProxy() throws Exception {
        api.client().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .addToLabels("istio-injection", "enabled").endMetadata().build()).create();
        api.client().resource(JSON.readValue("""
                {"apiVersion":"networking.istio.io/v1beta1","kind":"ProxyConfig","metadata":{"name":"shop","namespace":"shop"},
                 "spec":{"concurrency":3,"environmentVariables":{"SHOP_TIER":"gold"},"image":{"imageType":"distroless"}}}""",
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"c0a2","kind":{"group":"","version":"v1","kind":"Pod"},
                  "resource":{"group":"","version":"v1","resource":"pods"},
                  "namespace":"shop","operation":"CREATE","userInfo":{"username":"system:serviceaccount:kube-system:replicaset-controller"},
                  "object":{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-","namespace":"shop",
                    "labels":{"app":"web"}},
                    "spec":{"containers":[{"name":"web","image":"web:1"}]}},
                  "dryRun":false}}""";
        TrustingClient client = webhooks();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> response = client.send(client.post("/inject", "application/json",
                    review.getBytes(StandardCharsets.UTF_8)));
            JsonNode answer = JSON.readTree(response.body()).get("response");
            String patch = new String(Base64.getDecoder().decode(answer.get("patch").asString()), StandardCharsets.UTF_8);
            assertThat(patch).contains("SHOP_TIER").contains("-distroless").contains("\\\"concurrency\\\":3");
        });
    }

    @Test
    void anInvalidVirtualServiceIsDeniedThroughValidate() throws Exception {
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"c2d3","kind":{"group":"networking.istio.io","version":"v1","kind":"VirtualService"},
                  "resource":{"group":"networking.istio.io","version":"v1","resource":"virtualservices"},
                  "namespace":"default","name":"reviews","operation":"CREATE","userInfo":{"username":"alice"},
                  "object":{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews"},
                    "spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews"},"weight":-1}]}]}}}}""";
        TrustingClient client = webhooks();
        HttpResponse<String> response = client.send(client.post("/validate", "application/json",
                review.getBytes(StandardCharsets.UTF_8)));
        JsonNode answer = JSON.readTree(response.body()).get("response");
        assertThat(answer.get("allowed").asBoolean()).isFalse();
        assertThat(answer.get("status").get("message").asString()).contains("spec.http[0].route[0].weight");
    }

    @Test
    void theSecurePortServesTheCaAndAdsWithIstiodsCertificate() throws Exception {
        // a client that trusts the mesh root, as Istio's agent does, and checks istiod's name
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.secureXdsPort(),
                        TlsChannelCredentials.newBuilder().trustManager(new java.io.ByteArrayInputStream(
                                istiod.citadel().rootsPem().getBytes(StandardCharsets.UTF_8))).build())
                .overrideAuthority("istiod.istio-system.svc")
                .build();
        try {
            // the CA answers, and refuses a caller without credentials
            assertThatThrownBy(() -> IstioCertificateServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr("not a csr").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            // ADS over the same TLS port refuses a caller without credentials...
            LinkedBlockingQueue<Object> anonymous = adsStream(channel);
            assertThat(anonymous.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Throwable.class,
                    e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            // ...and answers one with a workload certificate of the namespace it claims
            ManagedChannel workload = Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.secureXdsPort(),
                            WorkloadCertificate.issue(istiod, "default", "app").channelCredentials())
                    .overrideAuthority("istiod.istio-system.svc")
                    .build();
            try {
                LinkedBlockingQueue<Object> answers = adsStream(workload);
                assertThat(answers.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(DiscoveryResponse.class,
                        clusters -> assertThat(clusters.getResourcesList()).isNotEmpty());
            } finally {
                workload.shutdownNow();
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** Opens an ADS stream as a sidecar of {@code default} asking for clusters; responses and errors land in the queue. */
    private static LinkedBlockingQueue<Object> adsStream(ManagedChannel channel) {
        LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                        out.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        out.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
                .setNode(Node.newBuilder().setId("sidecar~10.0.0.9~app-1.default~default.svc.cluster.local")
                        .setMetadata(Struct.newBuilder().putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())))
                .build());
        return out;
    }
}
