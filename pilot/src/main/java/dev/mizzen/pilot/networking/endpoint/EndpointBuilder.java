package dev.mizzen.pilot.networking.endpoint;

import com.google.protobuf.UInt32Value;
import dev.mizzen.api.networking.Subset;
import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Locality;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.networking.cluster.TrafficPolicies;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the endpoints of an outbound cluster: the service's ready endpoints that serve the cluster's port
 * and carry the subset's labels, grouped by locality. Pure.
 */
public final class EndpointBuilder {
    private EndpointBuilder() {
    }

    /** What each endpoint tells the client besides its address. */
    public enum Metadata {
        /** Nothing: gRPC clients. */
        NONE,
        /** Istio's {@code tlsMode} for auto mTLS (Envoy picks the cluster's matching transport socket). */
        TLS_MODE
    }

    static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

    public static ClusterLoadAssignment build(ClusterName cluster, PushContext push, String proxyNamespace) {
        return build(cluster, push, proxyNamespace, Metadata.NONE);
    }

    public static ClusterLoadAssignment build(ClusterName cluster, PushContext push, String proxyNamespace, Metadata metadata) {
        ClusterLoadAssignment.Builder out = ClusterLoadAssignment.newBuilder().setClusterName(cluster.toString());
        Service service = push.service(cluster.hostname()).orElse(null);
        if (service == null) {
            return out.build();
        }
        ServicePort port = service.port(cluster.port()).orElse(null);
        if (port == null) {
            return out.build();
        }
        Map<String, String> subsetLabels = Map.of();
        if (!cluster.subset().isEmpty()) {
            var rule = push.destinationRule(cluster.hostname(), proxyNamespace).orElse(null);
            var subset = TrafficPolicies.subset(rule, cluster.subset());
            if (subset.isEmpty()) {
                return out.build();
            }
            subsetLabels = subset.map(Subset::labels).orElse(Map.of());
        }
        Map<String, List<LbEndpoint>> byLocality = new TreeMap<>();
        Map<String, Locality> localities = new TreeMap<>();
        List<Endpoint> endpoints = new ArrayList<>(push.endpoints(cluster.hostname()));
        endpoints.sort(Comparator.comparing(Endpoint::address));
        for (Endpoint endpoint : endpoints) {
            if (!endpoint.ready() || !endpoint.hasLabels(subsetLabels)) {
                continue;
            }
            Integer targetPort = endpoint.portFor(port).orElse(null);
            if (targetPort == null) {
                continue;
            }
            String key = endpoint.locality().toString();
            localities.putIfAbsent(key, endpoint.locality());
            LbEndpoint.Builder lb = LbEndpoint.newBuilder()
                    .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                            .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                    .setAddress(endpoint.address()).setPortValue(targetPort))))
                    .setHealthStatus(HealthStatus.HEALTHY)
                    .setLoadBalancingWeight(UInt32Value.of(1));
            if (metadata == Metadata.TLS_MODE && "istio".equals(endpoint.labels().get(TLS_MODE_LABEL))) {
                lb.setMetadata(io.envoyproxy.envoy.config.core.v3.Metadata.newBuilder().putFilterMetadata(
                        "envoy.transport_socket_match", com.google.protobuf.Struct.newBuilder().putFields("tlsMode",
                                com.google.protobuf.Value.newBuilder().setStringValue("istio").build()).build()));
            }
            byLocality.computeIfAbsent(key, k -> new ArrayList<>()).add(lb.build());
        }
        byLocality.forEach((key, lbEndpoints) -> {
            Locality locality = localities.get(key);
            out.addEndpoints(LocalityLbEndpoints.newBuilder()
                    .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                            .setRegion(locality.region()).setZone(locality.zone()).setSubZone(locality.subZone()))
                    .addAllLbEndpoints(lbEndpoints)
                    // gRPC ignores localities without a weight
                    .setLoadBalancingWeight(UInt32Value.of(lbEndpoints.size())));
        });
        return out.build();
    }
}
