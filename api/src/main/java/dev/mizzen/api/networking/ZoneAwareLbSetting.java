package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio's zone-aware load balancer settings. */
public record ZoneAwareLbSetting(
        Boolean enabled,
        List<LocalityFailover> failover,
        List<String> failoverPriority,
        Integer minClusterSize) {
    public ZoneAwareLbSetting {
        failover = Copies.list(failover);
        failoverPriority = Copies.list(failoverPriority);
    }
}
