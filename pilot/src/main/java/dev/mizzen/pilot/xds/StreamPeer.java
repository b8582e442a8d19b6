package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.identity.CallerCredentialsInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Who opened an ADS stream, as the transport saw it: the credentials it presented (empty on the plaintext port)
 * and its address, which the debug views show as Istio's {@code address}.
 *
 * @param address {@code ip:port}, or empty when the transport did not say
 */
record StreamPeer(Optional<CallerCredentials> credentials, String address) {
    private static final Context.Key<String> ADDRESS = Context.key("mizzen-stream-peer-address");

    /** Puts the caller's address into the call's context, where {@link #current()} finds it. */
    static final ServerInterceptor ADDRESS_INTERCEPTOR = new ServerInterceptor() {
        @Override
        public <Q, S> ServerCall.Listener<Q> interceptCall(ServerCall<Q, S> call, Metadata headers,
                                                          ServerCallHandler<Q, S> next) {
            String address = format(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            return Contexts.interceptCall(Context.current().withValue(ADDRESS, address), call, headers, next);
        }
    };

    /** The peer of the call this thread serves. */
    static StreamPeer current() {
        String address = ADDRESS.get();
        return new StreamPeer(CallerCredentialsInterceptor.current(), address == null ? "" : address);
    }

    static StreamPeer anonymous() {
        return new StreamPeer(Optional.empty(), "");
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? "" : address.toString();
    }
}
