package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.Map;

/**
 * Istio {@code LocalityLoadBalancerSetting.Distribute}: traffic from one locality spread over others by
 * weight.
 */
public record LocalityDistribute(String from, Map<String, Integer> to) {
    public LocalityDistribute {
        to = Copies.map(to);
    }
}
