package dev.mizzen.istiod.security;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.testing.KubeMock;
import dev.mizzen.istiod.testing.TestIstiod;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy that proves itself with a service-account token instead of a certificate (Istio's agent does so
 * before it has one): the apiserver's TokenReview names the identity, and the node must claim that namespace.
 */
class TokenAuthenticatedXdsTest {
    private KubeMock api;
    private IstiodServer istiod;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        api = KubeMock.start();
        api.answerTokenReviews("default", "sleep");
        istiod = IstiodServer.start(TestIstiod.settings(), api.client());
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.secureXdsPort(),
                        TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                                istiod.citadel().rootsPem().getBytes(StandardCharsets.UTF_8))).build())
                .overrideAuthority("istiod.istio-system.svc")
                .build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        istiod.close();
        api.close();
    }

    @Test
    void aTokenOfTheClaimedNamespaceOpensTheStreamAndAnotherNamespaceIsRefused() throws Exception {
        assertThat(ask("default")).isInstanceOf(DiscoveryResponse.class);
        assertThat(ask("kube-system")).isInstanceOfSatisfying(Throwable.class,
                e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    private Object ask(String namespace) throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token());
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder()
                .setNode(Node.newBuilder().setId("sidecar~10.0.0.7~sleep-1." + namespace + "~" + namespace + ".svc.cluster.local")
                        .setMetadata(Struct.newBuilder().putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())))
                .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
                .build());
        Object answer = answers.poll(10, TimeUnit.SECONDS);
        requests.onCompleted();
        return answer;
    }

    /** A JWT-shaped token; the (mock) apiserver's TokenReview is what vouches for it. */
    private static String token() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}").getBytes(StandardCharsets.UTF_8))
                + ".c2ln";
    }
}
