package dev.mizzen.istiod.security;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.testing.KubeMock;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attacker on the network asks istiod's SDS for the TLS key of the Secret {@code victim-tls} in
 * {@code kube-system}, the way a gateway would. Only the gateway whose identity proves it runs in
 * {@code kube-system}, with a service account the apiserver lets read Secrets there, receives it; every other
 * way in gets no key. The apiserver here says yes to every SubjectAccessReview: the strongest case for the
 * attacker, where only identity stands between it and the key.
 */
class SecretTheftTest {
    private static final String KEY_NAME = "kubernetes://victim-tls";
    private static final String GATEWAY_ID = "router~10.9.9.9~evil.kube-system~kube-system.svc.cluster.local";

    private KubeMock api;
    private IstiodServer istiod;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private void start(boolean apiserverLetsReadSecrets) {
        api = KubeMock.start();
        api.answerSubjectAccessReviews(apiserverLetsReadSecrets);
        KeyPair keys = KeyType.ECDSA_P256.generate();
        api.client().resource(new SecretBuilder().withNewMetadata().withName("victim-tls").withNamespace("kube-system")
                .endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", base64("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
                .addToData("tls.key", base64(Pem.encode(keys.getPrivate())))
                .addToData("ca.crt", base64("-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n"))
                .build()).create();
        istiod = IstiodServer.start(TestIstiod.settings(), api.client());
    }

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (istiod != null) {
            istiod.close();
        }
        api.close();
    }

    @Test
    void onlyTheGatewayOfTheNamespaceGetsTheKey() throws Exception {
        start(true);
        // the attacker on the plaintext port: served, but without an identity, so no secret
        assertThat(ask(plaintext(), GATEWAY_ID, "kube-system", KEY_NAME)).isEqualTo(Outcome.NO_KEY);
        // on the authenticated port without a certificate: refused
        assertThat(ask(tls(null), GATEWAY_ID, "kube-system", KEY_NAME)).isEqualTo(Outcome.UNAUTHENTICATED);
        // with a certificate of another namespace, claiming kube-system: refused
        WorkloadCertificate other = WorkloadCertificate.issue(istiod, "default", "sleep");
        assertThat(ask(tls(other), GATEWAY_ID, "kube-system", KEY_NAME)).isEqualTo(Outcome.PERMISSION_DENIED);
        // a valid identity with a node id that is its own but for another service account: refused
        assertThat(ask(tls(other), "router~10.9.9.9~sleep-1.default~default.svc.cluster.local", "default",
                KEY_NAME, "istio-ingressgateway")).isEqualTo(Outcome.PERMISSION_DENIED);
        // a valid identity of its own namespace asking for the Secret of another namespace: nothing
        assertThat(ask(tls(other), "router~10.9.9.9~sleep-1.default~default.svc.cluster.local", "default",
                "kubernetes://kube-system/victim-tls")).isEqualTo(Outcome.NO_KEY);

        // the gateway of kube-system, whose service account may read Secrets there, gets it
        WorkloadCertificate gateway = WorkloadCertificate.issue(istiod, "kube-system", "istio-ingressgateway");
        assertThat(ask(tls(gateway), "router~10.9.9.10~istio-ingressgateway-1.kube-system~kube-system.svc.cluster.local",
                "kube-system", KEY_NAME)).isEqualTo(Outcome.KEY);
    }

    @Test
    void anIdentityWhoseServiceAccountMayNotReadSecretsGetsOnlyTheCaCertificate() throws Exception {
        start(false);
        WorkloadCertificate gateway = WorkloadCertificate.issue(istiod, "kube-system", "istio-ingressgateway");
        String id = "router~10.9.9.10~istio-ingressgateway-1.kube-system~kube-system.svc.cluster.local";
        assertThat(ask(tls(gateway), id, "kube-system", KEY_NAME)).isEqualTo(Outcome.NO_KEY);
        assertThat(ask(tls(gateway), id, "kube-system", KEY_NAME + "-cacert")).isEqualTo(Outcome.CA_CERTIFICATE);
    }

    private enum Outcome { KEY, CA_CERTIFICATE, NO_KEY, UNAUTHENTICATED, PERMISSION_DENIED, OTHER }

    private Outcome ask(ManagedChannel channel, String nodeId, String namespace, String secret) throws Exception {
        return ask(channel, nodeId, namespace, secret, "");
    }

    /** Asks SDS for one secret over a fresh stream; what came back. */
    private Outcome ask(ManagedChannel channel, String nodeId, String namespace, String secret, String serviceAccount)
            throws Exception {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
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
        Struct.Builder metadata = Struct.newBuilder().putFields("NAMESPACE", string(namespace));
        if (!serviceAccount.isEmpty()) {
            metadata.putFields("SERVICE_ACCOUNT", string(serviceAccount));
        }
        requests.onNext(DiscoveryRequest.newBuilder()
                .setNode(Node.newBuilder().setId(nodeId).setMetadata(metadata))
                .setTypeUrl("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")
                .addResourceNames(secret)
                .build());
        Object answer = answers.poll(10, TimeUnit.SECONDS);
        requests.onCompleted();
        if (answer instanceof Throwable t) {
            return switch (Status.fromThrowable(t).getCode()) {
                case UNAUTHENTICATED -> Outcome.UNAUTHENTICATED;
                case PERMISSION_DENIED -> Outcome.PERMISSION_DENIED;
                default -> Outcome.OTHER;
            };
        }
        assertThat(answer).as("an answer within 10 s").isInstanceOf(DiscoveryResponse.class);
        return outcome((DiscoveryResponse) answer);
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

    private ManagedChannel plaintext() {
        return channel(istiod.xdsPort(), InsecureChannelCredentials.create());
    }

    /** The authenticated port, trusting the mesh root; with a workload certificate, or none. */
    private ManagedChannel tls(WorkloadCertificate certificate) throws Exception {
        ChannelCredentials credentials = certificate != null ? certificate.channelCredentials()
                : TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                        istiod.citadel().rootsPem().getBytes(StandardCharsets.UTF_8))).build();
        return channel(istiod.secureXdsPort(), credentials);
    }

    private ManagedChannel channel(int port, ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
                .overrideAuthority("istiod.istio-system.svc")
                .build();
        channels.add(channel);
        return channel;
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
