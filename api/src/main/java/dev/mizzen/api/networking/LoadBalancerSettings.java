package dev.mizzen.api.networking;

/**
 * Istio {@code LoadBalancerSettings}: one of {@code simple} (an enum kept as a string),
 * {@code consistentHash} or {@code backendUtilization}, plus locality, zone and warmup settings.
 * {@code warmupDurationSecs} (a duration string) is deprecated in favour of {@code warmup}.
 */
public record LoadBalancerSettings(
        String simple,
        ConsistentHashLb consistentHash,
        BackendUtilizationLb backendUtilization,
        LocalityLbSetting localityLbSetting,
        String warmupDurationSecs,
        WarmupConfiguration warmup,
        ZoneAwareLbSetting zoneAwareLbSetting) {
}
