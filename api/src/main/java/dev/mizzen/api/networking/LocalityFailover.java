package dev.mizzen.api.networking;

/** Istio {@code LocalityLoadBalancerSetting.Failover}: the region traffic fails over to. */
public record LocalityFailover(String from, String to) {
}
