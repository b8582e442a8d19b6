package dev.mizzen.demo.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ADS client that subscribes as Envoy does (state of the world): CDS and LDS as wildcards, then RDS for
 * the route configs its listeners name and EDS for its EDS clusters; it ACKs every response. It keeps the
 * latest resources of each type.
 */
public final class FakeEnvoy implements AutoCloseable {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    private final Node node;
    private final Map<String, List<Any>> latest = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> subscribed = new ConcurrentHashMap<>();

    private FakeEnvoy(ManagedChannel channel, Node node) {
        this.node = node;
        this.channel = channel;
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                received(response);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        send(CDS, Set.of(), "", "");
        send(LDS, Set.of(), "", "");
    }

    /**
     * A sidecar ({@code sidecar~}) or gateway ({@code router~}) of a pod, connected as Istio's agent connects it:
     * to the authenticated port, with a workload certificate of its namespace and service account.
     */
    public static FakeEnvoy connect(IstiodServer istiod, String type, String ip, String pod, String namespace,
                                    String serviceAccount, Map<String, String> labels) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", istiod.secureXdsPort(),
                        WorkloadCertificate.issue(istiod, namespace, serviceAccount).channelCredentials())
                .overrideAuthority("istiod.istio-system.svc")
                .build();
        return new FakeEnvoy(channel, node(type, ip, pod, namespace, serviceAccount, labels));
    }

    /** The same over the plaintext port, without an identity. */
    public static FakeEnvoy connectPlaintext(int xdsPort, String type, String ip, String pod, String namespace,
                                             Map<String, String> labels) {
        return new FakeEnvoy(ManagedChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build(),
                node(type, ip, pod, namespace, "", labels));
    }

    private static Node node(String type, String ip, String pod, String namespace, String serviceAccount,
                             Map<String, String> labels) {
        Struct.Builder labelStruct = Struct.newBuilder();
        labels.forEach((k, v) -> labelStruct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                .putFields("INSTANCE_IPS", Value.newBuilder().setStringValue(ip).build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build());
        if (!serviceAccount.isEmpty()) {
            metadata.putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build());
        }
        return Node.newBuilder()
                .setId(type + "~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local")
                .setMetadata(metadata)
                .build();
    }

    private synchronized void send(String type, Set<String> names, String version, String nonce) {
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).addAllResourceNames(names)
                .setVersionInfo(version).setResponseNonce(nonce).build());
    }

    private void received(DiscoveryResponse response) {
        String type = response.getTypeUrl();
        latest.put(type, response.getResourcesList());
        send(type, subscribed.getOrDefault(type, Set.of()), response.getVersionInfo(), response.getNonce());
        try {
            if (type.equals(LDS)) {
                follow(RDS, routeNames(response.getResourcesList()));
            } else if (type.equals(CDS)) {
                follow(EDS, edsNames(response.getResourcesList()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private void follow(String type, Set<String> names) {
        if (!names.equals(subscribed.get(type))) {
            subscribed.put(type, names);
            send(type, names, "", "");
        }
    }

    private static Set<String> routeNames(List<Any> listeners) throws InvalidProtocolBufferException {
        Set<String> names = new TreeSet<>();
        for (Any any : listeners) {
            Listener l = any.unpack(Listener.class);
            List<FilterChain> chains = new ArrayList<>(l.getFilterChainsList());
            if (l.hasDefaultFilterChain()) {
                chains.add(l.getDefaultFilterChain());
            }
            for (FilterChain chain : chains) {
                for (Filter f : chain.getFiltersList()) {
                    if (f.getTypedConfig().is(HttpConnectionManager.class)) {
                        HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
                        if (hcm.hasRds()) {
                            names.add(hcm.getRds().getRouteConfigName());
                        }
                    }
                }
            }
        }
        return names;
    }

    private static Set<String> edsNames(List<Any> clusters) throws InvalidProtocolBufferException {
        Set<String> names = new TreeSet<>();
        for (Any any : clusters) {
            Cluster c = any.unpack(Cluster.class);
            if (c.getType() == Cluster.DiscoveryType.EDS) {
                names.add(c.getEdsClusterConfig().getServiceName());
            }
        }
        return names;
    }

    /** The latest resources of a type, unpacked. */
    public <T extends com.google.protobuf.Message> List<T> resources(Class<T> type) {
        String url = "type.googleapis.com/" + com.google.protobuf.Internal.getDefaultInstance(type).getDescriptorForType().getFullName();
        List<T> out = new ArrayList<>();
        for (Any any : latest.getOrDefault(url, List.of())) {
            try {
                out.add(any.unpack(type));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        requests.onCompleted();
        channel.shutdownNow();
    }
}
