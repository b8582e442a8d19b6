package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.Map;

/**
 * Istio {@code Subset}: a named set of endpoints selected by labels, with its own traffic policy overrides.
 */
public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
    public Subset {
        labels = Copies.map(labels);
    }
}
