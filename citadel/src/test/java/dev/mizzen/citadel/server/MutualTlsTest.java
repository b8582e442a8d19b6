package dev.mizzen.citadel.server;

import dev.mizzen.citadel.ca.CertificateAuthority;
import dev.mizzen.citadel.ca.IssuedCertificate;
import dev.mizzen.api.identity.SpiffeId;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.citadel.testing.SpiffeTrustManager;
import dev.mizzen.citadel.testing.TestCas;
import dev.mizzen.citadel.testing.Tls;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateResponse;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two workloads talk mutual TLS with certificates this CA issued, each checking the other's SPIFFE identity
 * (no host names: workload certificates carry none); a certificate from another root is refused.
 */
class MutualTlsTest {
    private static final SpiffeId FRONTEND = SpiffeId.of("cluster.local", "shop", "frontend");
    private static final SpiffeId BACKEND = SpiffeId.of("cluster.local", "shop", "backend");

    private final CertificateAuthority ca = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
    private final List<AutoCloseable> open = new ArrayList<>();

    record Workload(KeyPair keys, IssuedCertificate cert) {
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void twoWorkloadsEachSeeTheOthersIdentity() {
        Workload backend = workload(ca, BACKEND);
        Workload frontend = workload(ca, FRONTEND);
        Server server = serve(backend, FRONTEND);

        ManagedChannel channel = connect(server, frontend, ca, BACKEND);
        IstioCertificateResponse answer = call(channel);

        assertThat(answer.getCertChainList()).containsExactly(FRONTEND.uri());
    }

    @Test
    void aClientExpectingAnotherIdentityRefusesTheServer() {
        Server server = serve(workload(ca, BACKEND), FRONTEND);

        ManagedChannel channel = connect(server, workload(ca, FRONTEND), ca, SpiffeId.of("cluster.local", "shop", "payments"));

        assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE)); // handshake refused
    }

    @Test
    void aClientCertificateFromAnotherRootIsRefused() {
        CertificateAuthority stranger = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
        Server server = serve(workload(ca, BACKEND), FRONTEND);

        // same identity, wrong root: the server must not accept it
        ManagedChannel channel = connect(server, workload(stranger, FRONTEND), ca, BACKEND);

        assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE)); // handshake refused
    }

    @Test
    void aServerCertificateFromAnotherRootIsRefused() {
        CertificateAuthority stranger = TestCas.authority(TestCas.selfSigned(KeyType.ECDSA_P256), Clock.systemUTC());
        Server server = serve(workload(stranger, BACKEND), FRONTEND);

        ManagedChannel channel = connect(server, workload(ca, FRONTEND), ca, BACKEND);

        assertThatThrownBy(() -> call(channel)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE)); // handshake refused
    }

    private static IstioCertificateResponse call(ManagedChannel channel) {
        return IstioCertificateServiceGrpc.newBlockingStub(channel).createCertificate(IstioCertificateRequest.getDefaultInstance());
    }

    private static Workload workload(CertificateAuthority authority, SpiffeId id) {
        KeyPair keys = KeyType.ECDSA_P256.generate();
        return new Workload(keys, authority.signWorkload(keys.getPublic(), id, Duration.ofHours(1)));
    }

    private Server serve(Workload self, SpiffeId expectedClient) {
        Server server = Tls.server(self.keys().getPrivate(), self.cert().tlsChain(),
                new SpiffeTrustManager(ca.roots(), expectedClient), ClientAuth.REQUIRE, new PeerIdentityService());
        open.add(() -> server.shutdownNow());
        return server;
    }

    private ManagedChannel connect(Server server, Workload self, CertificateAuthority trusted, SpiffeId expectedServer) {
        ManagedChannel channel = Tls.channel(server.getPort(), "backend.shop", new SpiffeTrustManager(trusted.roots(), expectedServer),
                self.keys().getPrivate(), self.cert().tlsChain());
        open.add(() -> channel.shutdownNow());
        return channel;
    }

    /** Answers with the SPIFFE identity of the client certificate it was called with (any unary service would do). */
    static final class PeerIdentityService implements IstioCertificateServiceGrpc.AsyncService, BindableService {
        private static final Context.Key<String> PEER = Context.key("peer-spiffe");

        @Override
        public ServerServiceDefinition bindService() {
            ServerInterceptor capture = new ServerInterceptor() {
                @Override
                public <Q, S> ServerCall.Listener<Q> interceptCall(ServerCall<Q, S> call, Metadata headers, ServerCallHandler<Q, S> next) {
                    String peer = null;
                    try {
                        var session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                        X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
                        peer = (String) leaf.getSubjectAlternativeNames().iterator().next().get(1);
                    } catch (Exception e) {
                        // no peer certificate: leave it null
                    }
                    return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
                }
            };
            return ServerInterceptors.intercept(IstioCertificateServiceGrpc.bindService(this), capture);
        }

        @Override
        public void createCertificate(IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> response) {
            response.onNext(IstioCertificateResponse.newBuilder().addCertChain(String.valueOf(PEER.get())).build());
            response.onCompleted();
        }
    }
}
