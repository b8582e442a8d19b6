package dev.mizzen.api.identity;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Hands a call's credentials (authorization header, TLS client chain) to the service through the gRPC context,
 * without judging them: the service decides what they are worth. Installed on the ports where callers must
 * prove who they are (15012); a call without it ({@link #current()} empty) came through a port that carries
 * no identity.
 */
public final class CallerCredentialsInterceptor implements ServerInterceptor {
    private static final Context.Key<CallerCredentials> CREDENTIALS = Context.key("mizzen-caller-credentials");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** The credentials of the call this thread serves; empty on a port without this interceptor. */
    public static Optional<CallerCredentials> current() {
        return Optional.ofNullable(CREDENTIALS.get());
    }

    @Override
    public <Q, S> ServerCall.Listener<Q> interceptCall(ServerCall<Q, S> call, Metadata headers,
                                                      ServerCallHandler<Q, S> next) {
        CallerCredentials credentials = new CallerCredentials(Optional.ofNullable(headers.get(AUTHORIZATION)),
                peerChain(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
        return Contexts.interceptCall(Context.current().withValue(CREDENTIALS, credentials), call, headers, next);
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return Arrays.stream(chain)
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
