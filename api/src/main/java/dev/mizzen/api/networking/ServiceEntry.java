package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio's {@code ServiceEntry} ({@code networking.istio.io}): adds hosts to the mesh's service registry, e.g.
 * external APIs or VMs, with their ports, resolution and endpoints. {@code location} and {@code resolution}
 * are enums kept as strings.
 */
public record ServiceEntry(
        List<String> hosts,
        List<String> addresses,
        List<ServicePort> ports,
        String location,
        String resolution,
        List<WorkloadEntry> endpoints,
        WorkloadSelector workloadSelector,
        List<String> exportTo,
        List<String> subjectAltNames) {
    public ServiceEntry {
        hosts = Copies.list(hosts);
        addresses = Copies.list(addresses);
        ports = Copies.list(ports);
        endpoints = Copies.list(endpoints);
        exportTo = Copies.list(exportTo);
        subjectAltNames = Copies.list(subjectAltNames);
    }
}
