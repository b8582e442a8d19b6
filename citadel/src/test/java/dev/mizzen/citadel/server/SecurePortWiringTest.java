package dev.mizzen.citadel.server;

import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.citadel.testing.Csrs;
import dev.mizzen.citadel.testing.FakeApiServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;

import static dev.mizzen.citadel.server.CaGrpcServiceTest.assertStatus;
import static dev.mizzen.citadel.server.CaGrpcServiceTest.request;
import static dev.mizzen.citadel.server.CaGrpcServiceTest.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wiring istiod's 15012 uses, with grpc's own credentials API: a key manager fed by the serving certificate
 * rotator, client certificates optional and checked against the CA's current roots. A renewed serving
 * certificate reaches new connections without restarting the server.
 */
class SecurePortWiringTest {
    private static final String ISTIOD = "istiod.istio-system.svc";

    @Test
    void servesTheCaOverTlsAndPresentsEachRenewedServingCertificate() throws Exception {
        try (FakeApiServer api = FakeApiServer.start("istio-system", "bookinfo")) {
            Citadel citadel = api.own(Citadel.start(CitadelSettings.defaults("istio-system").withKeyType(KeyType.ECDSA_P256),
                    api.client(), new SimpleMeterRegistry()));
            AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
            citadel.servingCertificate().subscribe((key, chain) ->
                    keys.updateIdentityCredentials(chain.toArray(X509Certificate[]::new), key));
            ServerCredentials credentials = TlsServerCredentials.newBuilder()
                    .keyManager(keys)
                    .trustManager(citadel.clientTrustManager())
                    .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                    .build();
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), credentials)
                    .addService(citadel.certificateService())
                    .build().start();
            api.own(server::shutdownNow);
            AtomicReference<X509Certificate> seen = new AtomicReference<>();

            ManagedChannel first = channel(server.getPort(), citadel, seen);
            String token = api.serviceAccountToken("bookinfo", "reviews");
            var response = withToken(first, token).createCertificate(request(Csrs.csr(Csrs.ec()), 0));
            assertThat(Pem.certificate(response.getCertChain(0)).getSubjectAlternativeNames())
                    .containsExactly(java.util.List.of(6, "spiffe://cluster.local/ns/bookinfo/sa/reviews"));
            assertStatus(() -> IstioCertificateServiceGrpc.newBlockingStub(first).createCertificate(request(Csrs.csr(Csrs.ec()), 0)),
                    Status.Code.UNAUTHENTICATED, "no credentials");
            BigInteger firstSerial = seen.get().getSerialNumber();
            assertThat(firstSerial).isEqualTo(citadel.servingCertificate().current().leaf().getSerialNumber());
            first.shutdownNow();

            citadel.servingCertificate().renewSoon();
            await().until(() -> !citadel.servingCertificate().current().leaf().getSerialNumber().equals(firstSerial));

            ManagedChannel second = channel(server.getPort(), citadel, seen);
            withToken(second, token).createCertificate(request(Csrs.csr(Csrs.ec()), 0));
            assertThat(seen.get().getSerialNumber()).isEqualTo(citadel.servingCertificate().current().leaf().getSerialNumber());
            second.shutdownNow();
        }
    }

    /** A client that checks istiod's name and chain as usual and remembers which certificate it was shown. */
    private static ManagedChannel channel(int port, Citadel citadel, AtomicReference<X509Certificate> seen) throws Exception {
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        roots.setCertificateEntry("root", citadel.roots().get(0));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(roots);
        X509TrustManager pkix = (X509TrustManager) factory.getTrustManagers()[0];
        X509TrustManager recording = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                pkix.checkServerTrusted(chain, authType);
                seen.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return pkix.getAcceptedIssuers();
            }
        };
        var credentials = TlsChannelCredentials.newBuilder().trustManager(recording).build();
        return NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), port, credentials)
                .overrideAuthority(ISTIOD)
                .build();
    }
}
