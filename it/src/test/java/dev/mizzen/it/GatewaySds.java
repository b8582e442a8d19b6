package dev.mizzen.it;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A gateway asking istiod's SDS for a credential, as Istio's agent asks for it on behalf of its Envoy: over the
 * authenticated port, with its service account's istio-ca token, as a {@code router~} node of its namespace.
 */
final class GatewaySds {
    enum Outcome { KEY, CA_CERTIFICATE, NO_KEY, REFUSED }

    private static final String SECRET = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private GatewaySds() {}

    static Outcome ask(KubeCluster cluster, int securePort, String namespace, String serviceAccount, String resource)
            throws Exception {
        String token = ClusterIstiod.token(cluster, namespace, serviceAccount, List.of("istio-ca"), 600);
        ManagedChannel channel = XdsConnections.secureChannel(securePort,
                XdsConnections.publishedRoot(cluster.client(), namespace));
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
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
                        public void onCompleted() {}
                    });
            Struct metadata = Struct.newBuilder()
                    .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                    .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build())
                    .build();
            requests.onNext(DiscoveryRequest.newBuilder()
                    .setNode(Node.newBuilder()
                            .setId("router~10.244.200.1~" + serviceAccount + "-1." + namespace + "~" + namespace
                                    + ".svc.cluster.local")
                            .setMetadata(metadata))
                    .setTypeUrl(SECRET)
                    .addResourceNames(resource)
                    .build());
            Object answer = answers.poll(30, TimeUnit.SECONDS);
            requests.onCompleted();
            if (answer == null) {
                throw new AssertionError("no SDS answer within 30 s");
            }
            if (answer instanceof Throwable t) {
                if (Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE) {
                    throw new AssertionError("istiod could not judge the request", t);
                }
                return Outcome.REFUSED;
            }
            return outcome((DiscoveryResponse) answer);
        } finally {
            channel.shutdownNow();
        }
    }

    private static Outcome outcome(DiscoveryResponse response) throws InvalidProtocolBufferException {
        for (var any : response.getResourcesList()) {
            Secret secret = any.unpack(Secret.class);
            if (secret.hasTlsCertificate() && secret.getTlsCertificate().hasPrivateKey()) {
                return Outcome.KEY;
            }
            if (secret.hasValidationContext()) {
                return Outcome.CA_CERTIFICATE;
            }
        }
        return Outcome.NO_KEY;
    }
}
