package dev.mizzen.citadel.server;

import dev.mizzen.citadel.authn.ClientCertificateAuthenticator;
import dev.mizzen.citadel.authn.CachingAuthenticator;
import dev.mizzen.citadel.authn.TokenReviewAuthenticator;
import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.FakeApiServer;
import dev.mizzen.citadel.testing.TestCas;
import dev.mizzen.citadel.testing.Tls;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static dev.mizzen.citadel.server.CaGrpcServiceTest.assertStatus;
import static dev.mizzen.citadel.server.CaGrpcServiceTest.request;
import static dev.mizzen.citadel.server.CaGrpcServiceTest.withToken;
import static org.assertj.core.api.Assertions.assertThat;

/** With the apiserver out of reach, token callers get UNAVAILABLE and the CA keeps serving the others. */
class ApiserverUnavailableTest {
    @Test
    void tokenReviewsThatCannotBeMadeAreUnavailableAndTheServiceGoesOn() throws Exception {
        CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (KubernetesClient unreachable = clientOfAClosedPort()) {
            var service = new IstioCertificateGrpcService(new CertificateRequestHandler(new CachingAuthenticator(
                    new ClientCertificateAuthenticator(ca::roots, "cluster.local", Clock.systemUTC()),
                    new TokenReviewAuthenticator(unreachable, List.of("istio-ca"), "cluster.local"),
                    Runnable::run, Clock.systemUTC(), CachingAuthenticator.Settings.DEFAULTS), ca, new CaMetrics(meters)));
            KeyPair serverKeys = KeyType.ECDSA_P256.generate();
            IssuedCertificate serving = ca.signServer(serverKeys.getPublic(), List.of("istiod.istio-system.svc"), Duration.ofHours(1));
            Server server = Tls.server(serverKeys.getPrivate(), serving.tlsChain(), CaRootsTrust.following(ca),
                    ClientAuth.OPTIONAL, service);
            ManagedChannel anonymous = Tls.channel(server.getPort(), "istiod.istio-system.svc", ca.roots(), null, null);
            KeyPair workload = Csrs.ec();
            IssuedCertificate own = ca.signWorkload(workload.getPublic(), SpiffeId.of("cluster.local", "bookinfo", "reviews"),
                    Duration.ofHours(1));
            ManagedChannel renewing = Tls.channel(server.getPort(), "istiod.istio-system.svc", ca.roots(),
                    workload.getPrivate(), own.tlsChain());
            try {
                assertStatus(() -> withToken(anonymous, FakeApiServer.unknownToken()).createCertificate(request(Csrs.csr(Csrs.ec()), 0)),
                        Status.Code.UNAVAILABLE, "could not review the token");
                assertThat(meters.get("citadel_server_authentication_failure_count").tag("reason", "unavailable")
                        .counter().count()).isEqualTo(1);

                var renewed = dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc.newBlockingStub(renewing)
                        .createCertificate(request(Csrs.csr(Csrs.ec()), 0));
                assertThat(renewed.getCertChainCount()).isEqualTo(2);
            } finally {
                anonymous.shutdownNow();
                renewing.shutdownNow();
                server.shutdownNow();
            }
        }
    }

    private static KubernetesClient clientOfAClosedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2_000)
                .withRequestTimeout(2_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
