package dev.mizzen.pilot.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service of the mesh, from a Kubernetes Service or a ServiceEntry host.
 *
 * @param hostname  the FQDN, e.g. {@code reviews.default.svc.cluster.local}
 * @param clusterIp the VIP, or empty for headless services and services without one
 * @param selector  the pod selector; empty when endpoints are managed by hand
 * @param exportTo  namespaces that may see this service ({@code *} for all)
 */
public record Service(String hostname, String namespace, String name, String clusterIp, List<ServicePort> ports,
                      Map<String, String> labels, Map<String, String> selector, Set<String> exportTo,
                      Resolution resolution, Location location) {
    public Service {
        clusterIp = clusterIp == null ? "" : clusterIp;
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
        selector = Map.copyOf(selector);
        exportTo = exportTo == null || exportTo.isEmpty() ? Set.of("*") : Set.copyOf(exportTo);
        resolution = resolution == null ? Resolution.CLIENT_SIDE_LB : resolution;
        location = location == null ? Location.MESH_INTERNAL : location;
    }

    public Optional<ServicePort> port(int number) {
        return ports.stream().filter(p -> p.port() == number).findFirst();
    }

    public Optional<ServicePort> portByName(String portName) {
        return ports.stream().filter(p -> p.name().equals(portName)).findFirst();
    }

    /** True when a proxy in {@code namespace} may see this service. */
    public boolean visibleTo(String proxyNamespace) {
        return Visibility.visible(exportTo, namespace, proxyNamespace);
    }
}
