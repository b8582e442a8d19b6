package dev.mizzen.it;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.testing.KubeMock;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Istio's own {@code istioctl proxy-status}, talking xDS straight to Mizzen's istiod ({@code --xds-address}), lists
 * the proxies connected to it. No cluster is needed: with {@code --cert-dir} istioctl authenticates with a mesh
 * certificate (here one of {@code istio-system/default}, the identity it claims) instead of asking the apiserver for
 * a token, and asks the debug type {@code istio.io/debug/syncz} on the authenticated port.
 */
class IstioctlProxyStatusTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final String SIDECAR = "sidecar~10.1.0.7~reviews-v1-7d9f.default~default.svc.cluster.local";
    private static final String GATEWAY = "router~10.1.0.9~istio-ingressgateway-5b7c.istio-system~istio-system.svc.cluster.local";

    @Test
    void istioctlProxyStatusListsTheConnectedProxies(@TempDir Path dir) throws Exception {
        try (KubeMock api = answeringReviews(KubeMock.start());
             IstiodServer istiod = IstiodServer.start(TestIstiod.settings(), api.client());
             AckingProxy sidecar = AckingProxy.connect(istiod, SIDECAR, "default", "bookinfo-reviews");
             AckingProxy gateway = AckingProxy.connect(istiod, GATEWAY, "istio-system", "istio-ingressgateway-service-account")) {
            await().atMost(TestIstiod.TIMEOUT).until(() -> istiod.ads().status().stream()
                    .filter(s -> s.acked().containsKey(CDS) && s.acked().containsKey(LDS)).count() == 2);

            // istioctl's identity: the default service account of istiod's namespace, as its client claims
            WorkloadCertificate cert = WorkloadCertificate.issue(istiod, "istio-system", "default");
            Files.writeString(dir.resolve("cert-chain.pem"), Pem.encode(cert.certificate().tlsChain()));
            Files.writeString(dir.resolve("key.pem"), Pem.encode(cert.keys().getPrivate()));
            Files.writeString(dir.resolve("root-cert.pem"), cert.rootsPem());
            // istioctl builds a Kubernetes client before it looks at --xds-address; with a revision named it never
            // calls it (without one it waits for the cluster's default revision, forever when there is no cluster)
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
                    users: [{name: none, user: {token: none}}]
                    contexts: [{name: none, context: {cluster: none, user: none}}]
                    current-context: none
                    """);
            Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
            String address = "localhost:" + istiod.secureXdsPort();

            IstioTools.Result table = IstioTools.run(IstioTools.istioctl(), Duration.ofMinutes(1), env, "proxy-status",
                    "--xds-address", address, "--cert-dir", dir.toString(), "--authority", "istiod.istio-system.svc",
                    "--revision", "default");
            assertThat(table.exitCode()).as(table.output()).isZero();
            assertThat(table.output()).contains("NAME", "CLUSTER", "ISTIOD", "VERSION", "SUBSCRIBED TYPES")
                    .contains(SIDECAR).contains(GATEWAY).contains("Kubernetes").contains("2 (CDS,LDS)");

            IstioTools.Result verbose = IstioTools.run(IstioTools.istioctl(), Duration.ofMinutes(1), env, "proxy-status",
                    "--xds-address", address, "--cert-dir", dir.toString(), "--authority", "istiod.istio-system.svc",
                    "--revision", "default",
                    "-v", "1");
            assertThat(verbose.exitCode()).as(verbose.output()).isZero();
            assertThat(verbose.output().lines().filter(l -> l.startsWith(SIDECAR)).findFirst().orElseThrow())
                    .contains("SYNCED");

            IstioTools.Result json = IstioTools.run(IstioTools.istioctl(), Duration.ofMinutes(1), env, "proxy-status",
                    "--xds-address", address, "--cert-dir", dir.toString(), "--authority", "istiod.istio-system.svc",
                    "--revision", "default",
                    "-o", "json");
            assertThat(json.exitCode()).as(json.output()).isZero();
            assertThat(json.output()).contains("\"controlPlane\"").contains("envoy.service.status.v3.ClientConfig")
                    .contains(SIDECAR).contains("\"configStatus\": \"SYNCED\"");
        }
    }

    /** The mock apiserver answers the SubjectAccessReviews authenticated proxies cause, as a cluster would. */
    private static KubeMock answeringReviews(KubeMock api) {
        api.answerSubjectAccessReviews(false);
        return api;
    }

    /** A sidecar as Istio's agent connects it (mesh certificate, authenticated port) that asks CDS and LDS and ACKs. */
    private static final class AckingProxy implements AutoCloseable {
        private final ManagedChannel channel;

        private AckingProxy(ManagedChannel channel) {
            this.channel = channel;
        }

        static AckingProxy connect(IstiodServer istiod, String id, String namespace, String serviceAccount) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.secureXdsPort(),
                            WorkloadCertificate.issue(istiod, namespace, serviceAccount).channelCredentials())
                    .overrideAuthority("istiod.istio-system.svc").build();
            Node node = Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
                    .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                    .putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build())
                    .putFields("ISTIO_VERSION", Value.newBuilder().setStringValue("1.31.0").build())
                    .putFields("CLUSTER_ID", Value.newBuilder().setStringValue("Kubernetes").build())).build();
            StreamObserver<DiscoveryRequest>[] requests = new StreamObserver[1];
            requests[0] = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
                @Override
                public void onNext(DiscoveryResponse response) {
                    synchronized (requests) {
                        requests[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            synchronized (requests) {
                for (String type : List.of(CDS, LDS)) {
                    requests[0].onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).build());
                }
            }
            return new AckingProxy(channel);
        }

        @Override
        public void close() {
            channel.shutdownNow();
        }
    }
}
