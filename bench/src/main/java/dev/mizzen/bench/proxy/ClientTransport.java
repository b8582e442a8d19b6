package dev.mizzen.bench.proxy;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side of many simulated streams: {@code connections} gRPC channels (TCP connections) to one
 * address on an event loop group of the load tool's own, whose threads are named {@value #THREAD_PREFIX}...
 * so their CPU time can be told apart from the server's. Callbacks run on the event loop (direct executor).
 * Stream {@code i} uses channel {@code i % connections}.
 *
 * <p>Threading: channels are created up front and only read afterwards.
 */
public final class ClientTransport implements AutoCloseable {
    public static final String THREAD_PREFIX = "bench-";
    private static final int MAX_MESSAGE = 64 << 20;

    private final EventLoopGroup group;
    private final List<ManagedChannel> channels;

    public ClientTransport(String host, int port, int connections, int threads) {
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threadFactory = new DefaultThreadFactory(THREAD_PREFIX + "client-elg", true);
        this.group = epoll ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
        this.channels = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            channels.add(NettyChannelBuilder.forAddress(host, port)
                    .usePlaintext()
                    .eventLoopGroup(group)
                    .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .directExecutor()
                    .maxInboundMessageSize(MAX_MESSAGE)
                    .build());
        }
    }

    public ManagedChannel channelFor(int stream) {
        return channels.get(stream % channels.size());
    }

    public int connections() {
        return channels.size();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
