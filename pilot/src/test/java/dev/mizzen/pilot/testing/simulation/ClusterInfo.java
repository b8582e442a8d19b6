package dev.mizzen.pilot.testing.simulation;

import java.util.List;

/**
 * What a cluster does with a request: discovery type, load balancer, endpoints (from EDS or the cluster's
 * own load_assignment) and how it connects to them.
 *
 * @param endpointSource "EDS <service name>", "EDS <service name> (missing)", "load_assignment" or "none"
 */
public record ClusterInfo(String name, String type, String lbPolicy, List<Endpoint> endpoints,
                          String endpointSource, List<TransportSocketInfo> transports) {

    public ClusterInfo {
        endpoints = List.copyOf(endpoints);
        transports = List.copyOf(transports);
    }

    @Override
    public String toString() {
        return name + ": " + type + " " + lbPolicy + ", endpoints " + endpoints + " from " + endpointSource
                + ", transport " + transports;
    }
}
