package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.Map;

/** Istio {@code networking.v1alpha3.WorkloadSelector} ({@code labels}) of ServiceEntry and Sidecar. */
public record WorkloadSelector(Map<String, String> labels) {
    public WorkloadSelector {
        labels = Copies.map(labels);
    }
}
