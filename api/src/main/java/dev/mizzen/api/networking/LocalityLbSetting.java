package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code LocalityLoadBalancerSetting}: weighted distribution or failover across localities. */
public record LocalityLbSetting(
        List<LocalityDistribute> distribute,
        List<LocalityFailover> failover,
        List<String> failoverPriority,
        Boolean enabled) {
    public LocalityLbSetting {
        distribute = Copies.list(distribute);
        failover = Copies.list(failover);
        failoverPriority = Copies.list(failoverPriority);
    }
}
