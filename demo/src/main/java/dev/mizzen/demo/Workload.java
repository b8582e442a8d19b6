package dev.mizzen.demo;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A stand-in Bookinfo workload: a gRPC server on its own loopback address (127.0.0.x), as a pod has its own
 * IP, answering {@link BookinfoRpc#CALL} with its app and version.
 */
public final class Workload implements AutoCloseable {
    private final String app;
    private final String version;
    private final String ip;
    private final Server server;

    private Workload(String app, String version, String ip, Server server) {
        this.app = app;
        this.version = version;
        this.ip = ip;
        this.server = server;
    }

    /** Starts serving on {@code ip:port}; port 0 picks a free one. */
    public static Workload start(String app, String version, String ip, int port) throws IOException {
        String answer = app + " " + version;
        ServerServiceDefinition service = ServerServiceDefinition.builder("mizzen.demo.Bookinfo")
                .addMethod(BookinfoRpc.CALL, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(answer);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(ip, port))
                .addService(service)
                .build()
                .start();
        return new Workload(app, version, ip, server);
    }

    public String app() {
        return app;
    }

    public String version() {
        return version;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return server.getPort();
    }

    /** The pod this workload stands for, {@code reviews-v2}. */
    public String podName() {
        return app + "-" + version;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
