package dev.mizzen.citadel.testing;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** grpc-java servers and channels over TLS on loopback, from keys and certificates in memory. */
public final class Tls {
    private Tls() {
    }

    /** A server presenting {@code chain}, asking clients for a certificate checked by {@code clientTrust}. */
    public static Server server(PrivateKey key, List<X509Certificate> chain, TrustManager clientTrust, ClientAuth clientAuth,
                                BindableService... services) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.configure(
                    SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new)));
            if (clientTrust != null) {
                ssl.trustManager(clientTrust).clientAuth(clientAuth);
            }
            NettyServerBuilder builder = NettyServerBuilder
                    .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sslContext(ssl.build());
            for (BindableService s : services) {
                builder.addService(s);
            }
            return builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A channel that trusts {@code serverTrust} and, with a key, presents a client certificate. */
    public static ManagedChannel channel(int port, String authority, TrustManager serverTrust, PrivateKey clientKey,
                                         List<X509Certificate> clientChain) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(serverTrust);
            if (clientKey != null) {
                ssl.keyManager(clientKey, clientChain.toArray(X509Certificate[]::new));
            }
            SslContext context = ssl.build();
            return NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), port)
                    .overrideAuthority(authority)
                    .sslContext(context)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A channel checking the server's certificate against {@code roots} and its DNS name against {@code authority}. */
    public static ManagedChannel channel(int port, String authority, List<X509Certificate> roots, PrivateKey clientKey,
                                         List<X509Certificate> clientChain) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(roots.toArray(X509Certificate[]::new));
            if (clientKey != null) {
                ssl.keyManager(clientKey, clientChain.toArray(X509Certificate[]::new));
            }
            return NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), port)
                    .overrideAuthority(authority)
                    .sslContext(ssl.build())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
