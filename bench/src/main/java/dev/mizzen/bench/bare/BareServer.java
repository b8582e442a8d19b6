package dev.mizzen.bench.bare;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mizzen.bench.proxy.XdsProtocol;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The limit istiod is measured against: a grpc-java server that does nothing but write pre-serialized
 * responses (the bytes istiod sent in a push, captured per proxy) to open streams. It runs with istiod's
 * settings: Netty, a fixed gRPC executor and a fixed fan-out pool of {@code max(4, 2 x cores)} threads.
 * Stream {@code i} says who it is in its first message (node id {@code bare~i}, in a DiscoveryRequest or a
 * DeltaDiscoveryRequest as the payloads' variant of xDS is) and gets payload i.
 *
 * <p>Threading: streams register from gRPC's executor into a concurrent map; during {@link #push} each
 * stream is written by exactly one fan-out task, and nothing else writes to it.
 */
public final class BareServer implements AutoCloseable {
    static final String NODE_PREFIX = "bare~";

    private final List<List<byte[]>> payloads;
    private final XdsProtocol protocol;
    private final Map<Integer, ServerCallStreamObserver<byte[]>> streams = new ConcurrentHashMap<>();
    private final ExecutorService grpcExecutor;
    private final ExecutorService pushExecutor;
    private final Server server;

    private BareServer(List<List<byte[]>> payloads, XdsProtocol protocol) throws IOException {
        this.payloads = payloads;
        this.protocol = protocol;
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.grpcExecutor = Executors.newFixedThreadPool(threads, named("bare-grpc"));
        this.pushExecutor = Executors.newFixedThreadPool(threads, named("bare-push"));
        ServerServiceDefinition service = ServerServiceDefinition.builder("mizzen.bench.BareStream")
                .addMethod(BareProtocol.SERVER, ServerCalls.asyncBidiStreamingCall(this::open))
                .build();
        this.server = NettyServerBuilder.forPort(0)
                .executor(grpcExecutor)
                .addService(service)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .build()
                .start();
    }

    /** @param payloads by stream index, the messages to write to that stream on each push */
    public static BareServer start(List<List<byte[]>> payloads, XdsProtocol protocol) throws IOException {
        return new BareServer(payloads, protocol);
    }

    public int port() {
        return server.getPort();
    }

    public int streams() {
        return streams.size();
    }

    private StreamObserver<byte[]> open(StreamObserver<byte[]> responses) {
        return new StreamObserver<>() {
            private boolean registered;

            @Override
            public void onNext(byte[] request) {
                if (registered) {
                    return; // an ACK: the bare server keeps no state about it
                }
                try {
                    String id = protocol == XdsProtocol.DELTA ? DeltaDiscoveryRequest.parseFrom(request).getNode().getId()
                            : DiscoveryRequest.parseFrom(request).getNode().getId();
                    streams.put(Integer.parseInt(id.substring(NODE_PREFIX.length())),
                            (ServerCallStreamObserver<byte[]>) responses);
                    registered = true;
                } catch (IOException | RuntimeException e) {
                    responses.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.toString()).asRuntimeException());
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }

    /** Writes every stream its payload from the fan-out pool; returns when all writes were handed to gRPC. */
    public void push() throws InterruptedException {
        List<Future<?>> sent = new ArrayList<>(streams.size());
        streams.forEach((index, stream) -> sent.add(pushExecutor.submit(() -> {
            for (byte[] message : payloads.get(index)) {
                stream.onNext(message);
            }
        })));
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a bare push failed", e.getCause());
            }
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        return new ThreadFactoryBuilder().setNameFormat(prefix + "-%d").setDaemon(true).build();
    }

    @Override
    public void close() {
        server.shutdownNow();
        grpcExecutor.shutdownNow();
        pushExecutor.shutdownNow();
    }
}
