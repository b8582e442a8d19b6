package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio's backend-utilization load balancing: endpoints weighted by their ORCA load reports. */
public record BackendUtilizationLb(
        Integer errorUtilizationPenaltyPercent,
        List<String> metricNamesForComputingUtilization,
        String weightExpirationPeriod,
        String weightStabilizationPeriod,
        String weightUpdatePeriod) {
    public BackendUtilizationLb {
        metricNamesForComputingUtilization = Copies.list(metricNamesForComputingUtilization);
    }
}
