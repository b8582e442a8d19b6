package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.Map;

/** Istio {@code type.v1beta1.WorkloadSelector}: pods whose labels include all of {@code matchLabels}. */
public record WorkloadSelector(Map<String, String> matchLabels) {
    public WorkloadSelector {
        matchLabels = Copies.map(matchLabels);
    }
}
