package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.Map;

/**
 * Istio's {@code WorkloadEntry} ({@code networking.istio.io}): a non-Kubernetes workload (e.g. a VM) by
 * address, labels and identity; also the endpoint type of a ServiceEntry. {@code ports} maps port names to
 * endpoint port numbers.
 */
public record WorkloadEntry(
        String address,
        Map<String, Integer> ports,
        Map<String, String> labels,
        String network,
        String locality,
        Integer weight,
        String serviceAccount) {
    public WorkloadEntry {
        ports = Copies.map(ports);
        labels = Copies.map(labels);
    }
}
