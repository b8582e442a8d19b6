package dev.mizzen.pilot.networking.cluster;

import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.PortTrafficPolicy;
import dev.mizzen.api.networking.Subset;
import dev.mizzen.api.networking.TrafficPolicy;

import java.util.Optional;

/**
 * The traffic policy that applies to one cluster, merged as Istio does: the rule's top-level policy,
 * overridden by its settings for the port, then by the subset's policy (and the subset's port settings).
 * Each of load balancer, connection pool, outlier detection and TLS is replaced whole, not merged field by field.
 */
public final class TrafficPolicies {
    private TrafficPolicies() {
    }

    public static TrafficPolicy effective(DestinationRule rule, String subsetName, int port) {
        if (rule == null) {
            return null;
        }
        TrafficPolicy merged = forPort(rule.trafficPolicy(), port);
        if (subsetName != null && !subsetName.isEmpty()) {
            Optional<Subset> subset = subset(rule, subsetName);
            if (subset.isPresent() && subset.get().trafficPolicy() != null) {
                merged = overlay(merged, forPort(subset.get().trafficPolicy(), port));
            }
        }
        return merged;
    }

    public static Optional<Subset> subset(DestinationRule rule, String name) {
        return rule == null ? Optional.empty() : rule.subsets().stream().filter(s -> name.equals(s.name())).findFirst();
    }

    private static TrafficPolicy forPort(TrafficPolicy policy, int port) {
        if (policy == null) {
            return null;
        }
        for (PortTrafficPolicy p : policy.portLevelSettings()) {
            if (p.port() != null && p.port().number() != null && p.port().number() == port) {
                return new TrafficPolicy(
                        p.loadBalancer() != null ? p.loadBalancer() : policy.loadBalancer(),
                        p.connectionPool() != null ? p.connectionPool() : policy.connectionPool(),
                        p.outlierDetection() != null ? p.outlierDetection() : policy.outlierDetection(),
                        p.tls() != null ? p.tls() : policy.tls(),
                        policy.portLevelSettings(), policy.tunnel(), policy.proxyProtocol(), policy.retryBudget());
            }
        }
        return policy;
    }

    private static TrafficPolicy overlay(TrafficPolicy base, TrafficPolicy top) {
        if (base == null) {
            return top;
        }
        return new TrafficPolicy(
                top.loadBalancer() != null ? top.loadBalancer() : base.loadBalancer(),
                top.connectionPool() != null ? top.connectionPool() : base.connectionPool(),
                top.outlierDetection() != null ? top.outlierDetection() : base.outlierDetection(),
                top.tls() != null ? top.tls() : base.tls(),
                base.portLevelSettings(),
                top.tunnel() != null ? top.tunnel() : base.tunnel(),
                top.proxyProtocol() != null ? top.proxyProtocol() : base.proxyProtocol(),
                top.retryBudget() != null ? top.retryBudget() : base.retryBudget());
    }
}
