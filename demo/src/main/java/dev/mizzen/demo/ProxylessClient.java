package dev.mizzen.demo;

import dev.mizzen.api.config.SpecReader;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxyless gRPC client: grpc-java's own xDS client resolves {@code xds:///reviews:9080} through istiod
 * and routes each call as the pushed config says. One channel per target, kept open.
 */
public final class ProxylessClient implements AutoCloseable {
    private static final AtomicInteger SCHEMES = new AtomicInteger();

    private final String scheme;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    private ProxylessClient(String scheme) {
        this.scheme = scheme;
    }

    /**
     * The bootstrap Istio's agent would write for a proxyless workload.
     *
     * @param nodeId Istio's node id, {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}
     */
    public static Map<String, Object> bootstrap(String xdsAddress, String nodeId, String namespace,
                                                Map<String, String> labels) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("GENERATOR", "grpc");
        metadata.put("NAMESPACE", namespace);
        metadata.put("LABELS", new TreeMap<>(labels));
        return Map.of(
                "xds_servers", List.of(Map.of(
                        "server_uri", xdsAddress,
                        "channel_creds", List.of(Map.of("type", "insecure")),
                        "server_features", List.of("xds_v3"))),
                "node", Map.of("id", nodeId, "metadata", metadata, "locality", Map.of()));
    }

    /** A client on the standard {@code xds:} scheme, bootstrapped the way a real workload is (process-wide). */
    public static ProxylessClient standard(Map<String, Object> bootstrap) {
        System.setProperty("io.grpc.xds.bootstrapConfig", SpecReader.mapper().writeValueAsString(bootstrap));
        return new ProxylessClient("xds");
    }

    /** A client with a bootstrap of its own, so several can talk to different istiods in one process. */
    public static ProxylessClient isolated(Map<String, Object> bootstrap) {
        String scheme = "mizzen-xds-" + SCHEMES.incrementAndGet();
        NameResolverRegistry.getDefaultRegistry().register(XdsNameResolverProvider.createForTest(scheme, bootstrap));
        return new ProxylessClient(scheme);
    }

    /** Calls the service at {@code target} ({@code reviews:9080}); returns the answering workload. */
    public String call(String target, Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        ManagedChannel channel = channels.computeIfAbsent(target,
                t -> Grpc.newChannelBuilder(scheme + ":///" + t, InsecureChannelCredentials.create()).build());
        return ClientCalls.blockingUnaryCall(
                io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata)),
                BookinfoRpc.CALL, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
    }

    /** Makes {@code calls} calls and counts who answered; failures count under {@code error:<code>}. */
    public Map<String, Integer> tally(String target, Map<String, String> headers, int calls) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < calls; i++) {
            String who;
            try {
                who = call(target, headers);
            } catch (StatusRuntimeException e) {
                who = "error:" + e.getStatus().getCode();
            }
            counts.merge(who, 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
