package dev.mizzen.pilot.serviceregistry;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Service;

import java.util.List;
import java.util.Map;

/**
 * One consistent view of the service registry: services by hostname and their endpoints by hostname.
 * Immutable; endpoint lists include endpoints that are not ready (generators skip them).
 */
public record RegistrySnapshot(Map<String, Service> services, Map<String, List<Endpoint>> endpoints) {
    public static final RegistrySnapshot EMPTY = new RegistrySnapshot(Map.of(), Map.of());

    public RegistrySnapshot {
        services = Map.copyOf(services);
        endpoints = Map.copyOf(endpoints);
    }

    public List<Endpoint> endpoints(String hostname) {
        return endpoints.getOrDefault(hostname, List.of());
    }
}
