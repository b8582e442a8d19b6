package dev.mizzen.pilot.serviceregistry;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.TlsCredential;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent view of the service registry: services by hostname, their endpoints by hostname, and the
 * TLS credentials gateways may name (by {@code namespace/name}). Immutable; endpoint lists include
 * endpoints that are not ready (generators skip them).
 */
public record RegistrySnapshot(Map<String, Service> services, Map<String, List<Endpoint>> endpoints,
                               Map<String, TlsCredential> credentials) {
    public static final RegistrySnapshot EMPTY = new RegistrySnapshot(Map.of(), Map.of(), Map.of());

    public RegistrySnapshot {
        services = Map.copyOf(services);
        endpoints = Map.copyOf(endpoints);
        credentials = Map.copyOf(credentials);
    }

    public List<Endpoint> endpoints(String hostname) {
        return endpoints.getOrDefault(hostname, List.of());
    }

    public Optional<TlsCredential> credential(String namespace, String name) {
        return Optional.ofNullable(credentials.get(namespace + "/" + name));
    }
}
