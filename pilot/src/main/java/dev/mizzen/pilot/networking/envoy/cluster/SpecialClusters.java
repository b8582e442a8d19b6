package dev.mizzen.pilot.networking.envoy.cluster;

import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;

/** The clusters every sidecar has besides its services': black hole, and passthrough both ways. */
final class SpecialClusters {
    private SpecialClusters() {
    }

    /** Where refused traffic goes: a static cluster with no endpoints. */
    static Cluster blackHole() {
        return Cluster.newBuilder()
                .setName(EnvoyNames.BLACKHOLE_CLUSTER)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(ClusterDefaults.CONNECT_TIMEOUT)
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(EnvoyNames.BLACKHOLE_CLUSTER))
                .build();
    }

    /** Outbound traffic to destinations the mesh does not know, sent where the app addressed it. */
    static Cluster passthrough() {
        Cluster.Builder out = originalDestination(EnvoyNames.PASSTHROUGH_CLUSTER);
        ProtocolOptions.useDownstream(out);
        return out.build();
    }

    /** Inbound traffic to ports no service declares, handed to the app as it came. */
    static Cluster inboundPassthrough() {
        Cluster.Builder out = originalDestination(EnvoyNames.INBOUND_PASSTHROUGH_CLUSTER)
                .setUpstreamBindConfig(inboundBind());
        ProtocolOptions.useDownstream(out);
        return out.build();
    }

    static Cluster.Builder originalDestination(String name) {
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                .setConnectTimeout(ClusterDefaults.CONNECT_TIMEOUT)
                .setCleanupInterval(ClusterDefaults.CLEANUP_INTERVAL)
                .setCircuitBreakers(ClusterDefaults.UNLIMITED);
    }

    static BindConfig inboundBind() {
        return BindConfig.newBuilder().setSourceAddress(SocketAddress.newBuilder()
                .setAddress(EnvoyNames.INBOUND_SOURCE_ADDRESS).setPortValue(0)).build();
    }
}
