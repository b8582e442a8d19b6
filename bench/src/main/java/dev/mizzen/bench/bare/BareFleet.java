package dev.mizzen.bench.bare;

import dev.mizzen.bench.proxy.ClientTransport;
import dev.mizzen.bench.proxy.ResourceIndex;
import io.envoyproxy.envoy.config.core.v3.Node;
import dev.mizzen.bench.proxy.XdsProtocol;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of the bare run: one stream per simulated proxy over the same transport shape, each
 * expecting as many messages as its proxy accepted in the captured push. Each message is parsed, its
 * resources read through the same {@link ResourceIndex} and ACKed, as a simulated proxy of the run's variant of
 * xDS does.
 *
 * <p>Threading: a round is armed by the scenario's thread before the server writes; clients count down
 * from their stream threads under their own locks.
 */
public final class BareFleet {
    private final List<Client<?, ?>> clients = new ArrayList<>();
    private final ResourceIndex index;
    private volatile CountDownLatch round = new CountDownLatch(0);
    private final AtomicLong lastNanos = new AtomicLong();

    public BareFleet(ClientTransport transport, List<Integer> expectedMessages, ResourceIndex index,
                     XdsProtocol protocol) {
        this.index = index;
        for (int i = 0; i < expectedMessages.size(); i++) {
            Node node = Node.newBuilder().setId(BareServer.NODE_PREFIX + i).build();
            if (protocol == XdsProtocol.DELTA) {
                DeltaClient client = new DeltaClient(expectedMessages.get(i));
                clients.add(client);
                ClientCalls.asyncBidiStreamingCall(transport.channelFor(i).newCall(BareProtocol.DELTA_CLIENT,
                        CallOptions.DEFAULT), client);
                client.send(DeltaDiscoveryRequest.newBuilder().setNode(node).build());
            } else {
                SotwClient client = new SotwClient(expectedMessages.get(i));
                clients.add(client);
                ClientCalls.asyncBidiStreamingCall(transport.channelFor(i).newCall(BareProtocol.CLIENT,
                        CallOptions.DEFAULT), client);
                client.send(DiscoveryRequest.newBuilder().setNode(node).build());
            }
        }
    }

    /** Arms a round: every client with messages to expect counts from zero again. */
    public void arm() {
        int expecting = 0;
        for (Client<?, ?> client : clients) {
            synchronized (client) {
                client.received = 0;
            }
            if (client.expected > 0) {
                expecting++;
            }
        }
        lastNanos.set(Long.MIN_VALUE);
        round = new CountDownLatch(expecting);
    }

    /** Waits for the armed round; returns the System.nanoTime of the last ACK, or -1 on timeout. */
    public long await(Duration timeout) throws InterruptedException {
        return round.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? lastNanos.get() : -1;
    }

    public void close() {
        clients.forEach(c -> c.stream.cancel("bare run over", null));
    }

    /** Counts a client's messages of a round; the subclasses parse and ACK them. */
    private abstract class Client<Q, R> implements ClientResponseObserver<Q, R> {
        final int expected;
        int received;
        ClientCallStreamObserver<Q> stream;

        Client(int expected) {
            this.expected = expected;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
            stream = requestStream;
        }

        synchronized void send(Q request) {
            stream.onNext(request);
        }

        /** Called with the lock held once a message was ACKed. */
        void counted() {
            if (++received == expected) {
                lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
                round.countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    /** ACKs as a state-of-the-world proxy does: version, nonce and every name it holds. */
    private final class SotwClient extends Client<DiscoveryRequest, DiscoveryResponse> {
        SotwClient(int expected) {
            super(expected);
        }

        @Override
        public synchronized void onNext(DiscoveryResponse response) {
            DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder()
                    .setTypeUrl(response.getTypeUrl())
                    .setVersionInfo(response.getVersionInfo())
                    .setResponseNonce(response.getNonce());
            for (var resource : response.getResourcesList()) {
                ack.addResourceNames(index.read(response.getTypeUrl(), resource.getValue()).name());
            }
            stream.onNext(ack.build());
            counted();
        }
    }

    /** ACKs as a delta proxy does: the type and the nonce, after reading every resource. */
    private final class DeltaClient extends Client<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
        DeltaClient(int expected) {
            super(expected);
        }

        @Override
        public synchronized void onNext(DeltaDiscoveryResponse response) {
            for (var resource : response.getResourcesList()) {
                index.read(response.getTypeUrl(), resource.getResource().getValue());
            }
            stream.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                    .setResponseNonce(response.getNonce()).build());
            counted();
        }
    }
}
