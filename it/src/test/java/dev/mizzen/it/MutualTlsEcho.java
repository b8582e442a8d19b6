package dev.mizzen.it;

import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.demo.BookinfoRpc;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A plain grpc-java server on 127.0.0.1 that speaks Istio mTLS: a workload certificate from the mesh CA, and
 * clients' certificates required and verified against the mesh root. It answers "secure echo" and remembers the
 * certificate the last client presented.
 */
final class MutualTlsEcho {
    private MutualTlsEcho() {}

    static Server start(WorkloadCertificate certificate, AtomicReference<X509Certificate> lastPeer) {
        ServerServiceDefinition service = ServerServiceDefinition.builder("mizzen.demo.Bookinfo")
                .addMethod(BookinfoRpc.CALL, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("secure echo");
                    response.onCompleted();
                }))
                .build();
        ServerInterceptor peer = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                             ServerCallHandler<Q, R> next) {
                SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                try {
                    lastPeer.set((X509Certificate) session.getPeerCertificates()[0]);
                } catch (SSLPeerUnverifiedException e) {
                    lastPeer.set(null);
                }
                return next.startCall(call, headers);
            }
        };
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                    .keyManager(stream(Pem.encode(certificate.certificate().tlsChain())),
                            stream(Pem.encode(certificate.keys().getPrivate())))
                    .trustManager(stream(certificate.rootsPem()))
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), tls.build()).addService(ServerInterceptors.intercept(service, peer))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }
}
