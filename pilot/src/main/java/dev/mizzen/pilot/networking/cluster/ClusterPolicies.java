package dev.mizzen.pilot.networking.cluster;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.mizzen.api.networking.LoadBalancerSettings;
import dev.mizzen.api.networking.OutlierDetection;
import dev.mizzen.api.networking.TrafficPolicy;
import dev.mizzen.pilot.networking.route.ProtoDurations;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

/**
 * Applies the parts of a traffic policy that every client understands to a cluster: load balancing,
 * connection limits (as circuit breakers), outlier detection, connect timeout. Pure.
 */
public final class ClusterPolicies {
    public static final com.google.protobuf.Duration DEFAULT_CONNECT_TIMEOUT = ProtoDurations.millis(10_000);
    private static final UInt32Value MAX = UInt32Value.of(-1); // 4294967295 as unsigned
    /** Istio lifts Envoy's default limits (1024) unless a DestinationRule sets them. */
    public static final CircuitBreakers.Thresholds UNLIMITED = CircuitBreakers.Thresholds.newBuilder()
            .setMaxConnections(MAX).setMaxPendingRequests(MAX).setMaxRequests(MAX).setMaxRetries(MAX)
            .setTrackRemaining(true).build();

    private ClusterPolicies() {
    }

    /** What the client's load balancers support: gRPC has no RANDOM or MAGLEV. */
    public enum LbSupport { ENVOY, GRPC }

    public static void apply(TrafficPolicy policy, Cluster.Builder cluster, LbSupport support) {
        cluster.setConnectTimeout(DEFAULT_CONNECT_TIMEOUT);
        if (support == LbSupport.ENVOY) {
            cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(UNLIMITED));
        }
        // Istio's default for Envoy is least-request; gRPC's xDS client defaults to round robin
        cluster.setLbPolicy(support == LbSupport.ENVOY ? Cluster.LbPolicy.LEAST_REQUEST : Cluster.LbPolicy.ROUND_ROBIN);
        if (policy == null) {
            return;
        }
        loadBalancer(policy.loadBalancer(), cluster, support);
        var pool = policy.connectionPool();
        if (pool != null) {
            CircuitBreakers.Thresholds.Builder limits = cluster.hasCircuitBreakers()
                    ? cluster.getCircuitBreakers().getThresholds(0).toBuilder() : CircuitBreakers.Thresholds.newBuilder();
            boolean any = false;
            if (pool.tcp() != null) {
                if (pool.tcp().connectTimeout() != null) {
                    cluster.setConnectTimeout(ProtoDurations.parse(pool.tcp().connectTimeout()));
                }
                if (pool.tcp().maxConnections() != null) {
                    limits.setMaxConnections(UInt32Value.of(pool.tcp().maxConnections()));
                    any = true;
                }
            }
            if (pool.http() != null) {
                if (pool.http().http1MaxPendingRequests() != null) {
                    limits.setMaxPendingRequests(UInt32Value.of(pool.http().http1MaxPendingRequests()));
                    any = true;
                }
                if (pool.http().http2MaxRequests() != null) {
                    limits.setMaxRequests(UInt32Value.of(pool.http().http2MaxRequests()));
                    any = true;
                }
                if (pool.http().maxRetries() != null) {
                    limits.setMaxRetries(UInt32Value.of(pool.http().maxRetries()));
                    any = true;
                }
            }
            if (any) {
                cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(limits));
            }
        }
        if (policy.outlierDetection() != null) {
            cluster.setOutlierDetection(outlierDetection(policy.outlierDetection()));
        }
    }

    private static void loadBalancer(LoadBalancerSettings lb, Cluster.Builder cluster, LbSupport support) {
        if (lb == null) {
            return;
        }
        if (lb.consistentHash() != null) {
            boolean maglev = lb.consistentHash().maglev() != null;
            cluster.setLbPolicy(maglev && support == LbSupport.ENVOY ? Cluster.LbPolicy.MAGLEV : Cluster.LbPolicy.RING_HASH);
            Long minRing = lb.consistentHash().ringHash() != null ? lb.consistentHash().ringHash().minimumRingSize()
                    : lb.consistentHash().minimumRingSize();
            if (cluster.getLbPolicy() == Cluster.LbPolicy.RING_HASH && minRing != null) {
                cluster.setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder().setMinimumRingSize(UInt64Value.of(minRing)));
            }
            return;
        }
        if (lb.simple() == null) {
            return;
        }
        switch (lb.simple()) {
            case "LEAST_CONN", "LEAST_REQUEST" -> cluster.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
            case "RANDOM" -> cluster.setLbPolicy(support == LbSupport.ENVOY ? Cluster.LbPolicy.RANDOM
                    : Cluster.LbPolicy.ROUND_ROBIN);
            case "PASSTHROUGH" -> cluster.setLbPolicy(support == LbSupport.ENVOY ? Cluster.LbPolicy.CLUSTER_PROVIDED
                    : Cluster.LbPolicy.ROUND_ROBIN);
            case "ROUND_ROBIN" -> cluster.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
            default -> { }
        }
    }

    private static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection outlierDetection(OutlierDetection in) {
        var out = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder();
        Integer consecutive5xx = in.consecutive5xxErrors() != null ? in.consecutive5xxErrors() : in.consecutiveErrors();
        if (consecutive5xx != null) {
            out.setConsecutive5Xx(UInt32Value.of(consecutive5xx));
            out.setEnforcingConsecutive5Xx(UInt32Value.of(consecutive5xx > 0 ? 100 : 0));
        }
        if (in.consecutiveGatewayErrors() != null) {
            out.setConsecutiveGatewayFailure(UInt32Value.of(in.consecutiveGatewayErrors()));
            out.setEnforcingConsecutiveGatewayFailure(UInt32Value.of(in.consecutiveGatewayErrors() > 0 ? 100 : 0));
        }
        if (in.interval() != null) {
            out.setInterval(ProtoDurations.parse(in.interval()));
        }
        if (in.baseEjectionTime() != null) {
            out.setBaseEjectionTime(ProtoDurations.parse(in.baseEjectionTime()));
        }
        if (in.maxEjectionPercent() != null) {
            out.setMaxEjectionPercent(UInt32Value.of(in.maxEjectionPercent()));
        }
        if (Boolean.TRUE.equals(in.splitExternalLocalOriginErrors())) {
            out.setSplitExternalLocalOriginErrors(true);
            if (in.consecutiveLocalOriginFailures() != null) {
                out.setConsecutiveLocalOriginFailure(UInt32Value.of(in.consecutiveLocalOriginFailures()));
            }
        }
        // Istio turns success-rate ejection off: only consecutive errors eject
        out.setEnforcingSuccessRate(UInt32Value.of(0));
        return out.build();
    }
}
