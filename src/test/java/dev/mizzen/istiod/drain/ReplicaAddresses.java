package dev.mizzen.istiod.drain;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Test helper: the name {@code replicas:///istiod} resolved to several istiod replicas in a fixed order, as a proxy
 * reaches istiod through its Service. With gRPC's default pick_first a channel uses the first replica that accepts a
 * connection: a replica that stopped listening (a drain closes its ports) is skipped, as kube-proxy skips a pod that
 * is no longer ready.
 */
final class ReplicaAddresses extends NameResolverProvider {
    static final String TARGET = "replicas:///istiod";
    private final List<SocketAddress> addresses;

    private ReplicaAddresses(List<SocketAddress> addresses) {
        this.addresses = addresses;
    }

    /** A factory that resolves {@link #TARGET} to the loopback ports given, in that order. */
    static ReplicaAddresses of(int... ports) {
        return new ReplicaAddresses(java.util.Arrays.stream(ports)
                .mapToObj(p -> (SocketAddress) new InetSocketAddress("127.0.0.1", p)).toList());
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public String getDefaultScheme() {
        return "replicas";
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
        if (!"replicas".equals(target.getScheme())) {
            return null;
        }
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return "istiod.istio-system.svc";
            }

            @Override
            public void start(Listener2 listener) {
                listener.onResult(ResolutionResult.newBuilder()
                        .setAddressesOrError(io.grpc.StatusOr.fromValue(List.of(new EquivalentAddressGroup(addresses))))
                        .build());
            }

            @Override
            public void shutdown() {
            }
        };
    }
}
