package dev.mizzen.api.networking;

/**
 * Istio {@code LoadBalancerSettings.ConsistentHashLB}: the hash key (header, cookie, source IP or query
 * parameter) and the algorithm (ring hash or Maglev). {@code minimumRingSize} is deprecated in favour of
 * {@code ringHash}.
 */
public record ConsistentHashLb(
        String httpHeaderName,
        HttpCookie httpCookie,
        Boolean useSourceIp,
        String httpQueryParameterName,
        RingHash ringHash,
        Maglev maglev,
        Long minimumRingSize) {
}
