package dev.mizzen.pilot.networking.envoy.cluster;

import dev.mizzen.pilot.networking.cluster.ClusterPolicies;
import dev.mizzen.pilot.networking.route.ProtoDurations;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;

/** Istio's defaults for Envoy clusters. */
final class ClusterDefaults {
    static final com.google.protobuf.Duration CONNECT_TIMEOUT = ClusterPolicies.DEFAULT_CONNECT_TIMEOUT;
    static final com.google.protobuf.Duration CLEANUP_INTERVAL = ProtoDurations.millis(60_000);
    static final CircuitBreakers UNLIMITED = CircuitBreakers.newBuilder().addThresholds(ClusterPolicies.UNLIMITED).build();

    private ClusterDefaults() {
    }
}
