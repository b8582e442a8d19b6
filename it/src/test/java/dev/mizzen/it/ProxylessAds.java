package dev.mizzen.it;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A raw ADS client (state of the world) that subscribes as grpc-java's xDS client does for {@code xds:///target}:
 * the listener named as the target, the route configuration its api_listener names, the clusters its routes
 * name, the endpoints of those EDS clusters. It ACKs every response and keeps, per type, the latest response's
 * version and resources, so a test can read the EDS a proxyless client would get (the endpoints, which cannot be
 * dialled in this cluster) and compare versions across a restart of istiod.
 */
public final class ProxylessAds implements AutoCloseable {
    public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    /** One type's latest response: its version and its resources by name. */
    public record TypeState(String version, Map<String, Any> resources) {}

    private final ManagedChannel channel;
    private final Node node;
    private final String bearerToken;
    private final Set<String> targets;
    private final Map<String, Set<String>> subscribed = new ConcurrentHashMap<>();
    private final Map<String, TypeState> latest = new ConcurrentHashMap<>();
    /** per type, how many responses came on the current stream */
    private final Map<String, Integer> responsesOnStream = new ConcurrentHashMap<>();
    private final AtomicInteger responses = new AtomicInteger();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private StreamObserver<DiscoveryRequest> requests;
    private int stream;

    /**
     * Opens a stream on {@code channel} as the proxyless workload {@code node}, for the given targets
     * ({@code host:port}, as in {@code xds:///host:port}); {@code bearerToken} (may be null) goes in the
     * authorization header, as Istio's agent sends it to istiod's authenticated port.
     */
    public ProxylessAds(ManagedChannel channel, Node node, String bearerToken, Set<String> targets) {
        this.channel = channel;
        this.node = node;
        this.bearerToken = bearerToken;
        this.targets = Set.copyOf(targets);
        synchronized (this) {
            open();
            follow(LDS, new TreeSet<>(targets));
        }
    }

    /**
     * A new stream on the same channel, as grpc-java opens one when its stream breaks: it asks again for what it
     * had subscribed to, with the versions it last accepted, and keeps its resources until new ones come.
     */
    public synchronized void reconnect() {
        open();
        for (String type : List.of(LDS, RDS, CDS, EDS)) {
            Set<String> names = subscribed.get(type);
            if (names != null) {
                send(type, names, latest.containsKey(type) ? latest.get(type).version() : "", "");
            }
        }
    }

    private void open() {
        int generation = ++stream;
        error.set(null);
        responsesOnStream.clear();
        var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        if (bearerToken != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearerToken);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        this.requests = stub.streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                received(generation, response);
            }

            @Override
            public void onError(Throwable t) {
                failed(generation, t);
            }

            @Override
            public void onCompleted() {
                failed(generation, new IllegalStateException("the server closed the stream"));
            }
        });
    }

    private synchronized void failed(int generation, Throwable t) {
        if (generation == stream) {
            error.set(t);
        }
    }

    /** Istio's node for a proxyless workload: {@code sidecar~ip~pod.ns~ns.svc.cluster.local}, GENERATOR=grpc. */
    public static Node node(String ip, String pod, String namespace, String serviceAccount, Map<String, String> labels) {
        Struct.Builder labelStruct = Struct.newBuilder();
        labels.forEach((k, v) -> labelStruct.putFields(k, string(v)));
        Struct metadata = Struct.newBuilder()
                .putFields("GENERATOR", string("grpc"))
                .putFields("NAMESPACE", string(namespace))
                .putFields("SERVICE_ACCOUNT", string(serviceAccount))
                .putFields("INSTANCE_IPS", string(ip))
                .putFields("CLUSTER_ID", string("Kubernetes"))
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build())
                .build();
        return Node.newBuilder()
                .setId("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local")
                .setMetadata(metadata)
                .build();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    /** The stream's error, or null while it is open. */
    public Throwable error() {
        return error.get();
    }

    public int responses() {
        return responses.get();
    }

    /** The latest response of a type, or null before the first. */
    public TypeState state(String typeUrl) {
        return latest.get(typeUrl);
    }

    /** Every type's latest version (LDS, RDS, CDS, EDS), for comparing two moments. */
    public Map<String, String> versions() {
        Map<String, String> out = new TreeMap<>();
        latest.forEach((type, state) -> out.put(type, state.version()));
        return out;
    }

    /** Every resource the client holds, by type and name, as bytes: equal maps mean the same config. */
    public Map<String, Map<String, Any>> resources() {
        Map<String, Map<String, Any>> out = new TreeMap<>();
        latest.forEach((type, state) -> out.put(type, new TreeMap<>(state.resources())));
        return out;
    }

    /**
     * The endpoint addresses ({@code ip:port}) EDS gives the target's clusters now, by cluster name; a cluster
     * whose endpoints have not come yet is absent.
     */
    public Map<String, List<String>> endpoints() {
        TypeState eds = latest.get(EDS);
        Map<String, List<String>> out = new TreeMap<>();
        if (eds == null) {
            return out;
        }
        for (Any any : eds.resources().values()) {
            ClusterLoadAssignment cla = unpack(any, ClusterLoadAssignment.class);
            List<String> addresses = new ArrayList<>();
            cla.getEndpointsList().forEach(locality -> locality.getLbEndpointsList().forEach(lb -> {
                var socket = lb.getEndpoint().getAddress().getSocketAddress();
                addresses.add(socket.getAddress() + ":" + socket.getPortValue());
            }));
            addresses.sort(null);
            out.put(cla.getClusterName(), addresses);
        }
        return out;
    }

    /** Every endpoint address of every cluster, sorted. */
    public List<String> allEndpoints() {
        return endpoints().values().stream().flatMap(List::stream).sorted().toList();
    }

    /** How many responses of each type came on the current stream. */
    public Map<String, Integer> responsesOnStream() {
        return new TreeMap<>(responsesOnStream);
    }

    private synchronized void received(int generation, DiscoveryResponse response) {
        if (generation != stream) {
            return;
        }
        responsesOnStream.merge(response.getTypeUrl(), 1, Integer::sum);
        Map<String, Any> byName = new LinkedHashMap<>();
        for (Any any : response.getResourcesList()) {
            byName.put(name(response.getTypeUrl(), any), any);
        }
        latest.put(response.getTypeUrl(), new TypeState(response.getVersionInfo(), byName));
        responses.incrementAndGet();
        send(response.getTypeUrl(), subscribed.getOrDefault(response.getTypeUrl(), Set.of()), response.getVersionInfo(),
                response.getNonce());
        switch (response.getTypeUrl()) {
            case LDS -> follow(RDS, routeNames(byName.values()));
            case RDS -> follow(CDS, clusterNames(byName.values()));
            case CDS -> follow(EDS, edsNames(byName.values()));
            default -> { }
        }
    }

    private synchronized void follow(String type, Set<String> names) {
        if (!names.equals(subscribed.get(type))) {
            subscribed.put(type, names);
            send(type, names, latest.containsKey(type) ? latest.get(type).version() : "", "");
        }
    }

    private void send(String type, Set<String> names, String version, String nonce) {
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).addAllResourceNames(names)
                .setVersionInfo(version).setResponseNonce(nonce).build());
    }

    private static String name(String type, Any any) {
        return switch (type) {
            case LDS -> unpack(any, Listener.class).getName();
            case RDS -> unpack(any, RouteConfiguration.class).getName();
            case CDS -> unpack(any, Cluster.class).getName();
            case EDS -> unpack(any, ClusterLoadAssignment.class).getClusterName();
            default -> any.getTypeUrl();
        };
    }

    private static Set<String> routeNames(Iterable<Any> listeners) {
        Set<String> names = new TreeSet<>();
        for (Any any : listeners) {
            Listener listener = unpack(any, Listener.class);
            if (listener.hasApiListener()) {
                HttpConnectionManager hcm = unpack(listener.getApiListener().getApiListener(), HttpConnectionManager.class);
                if (hcm.hasRds()) {
                    names.add(hcm.getRds().getRouteConfigName());
                }
            }
        }
        return names;
    }

    private static Set<String> clusterNames(Iterable<Any> routeConfigs) {
        Set<String> names = new TreeSet<>();
        for (Any any : routeConfigs) {
            for (VirtualHost host : unpack(any, RouteConfiguration.class).getVirtualHostsList()) {
                for (Route route : host.getRoutesList()) {
                    if (route.getRoute().hasWeightedClusters()) {
                        for (WeightedCluster.ClusterWeight w : route.getRoute().getWeightedClusters().getClustersList()) {
                            names.add(w.getName());
                        }
                    } else if (!route.getRoute().getCluster().isEmpty()) {
                        names.add(route.getRoute().getCluster());
                    }
                }
            }
        }
        return names;
    }

    private static Set<String> edsNames(Iterable<Any> clusters) {
        Set<String> names = new TreeSet<>();
        for (Any any : clusters) {
            Cluster cluster = unpack(any, Cluster.class);
            if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                String service = cluster.getEdsClusterConfig().getServiceName();
                names.add(service.isEmpty() ? cluster.getName() : service);
            }
        }
        return names;
    }

    private static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot read " + any.getTypeUrl() + " as " + type.getSimpleName(), e);
        }
    }

    /** The targets this client asked for. */
    public Set<String> targets() {
        return targets;
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the stream may be gone already
        }
        channel.shutdownNow();
    }
}
