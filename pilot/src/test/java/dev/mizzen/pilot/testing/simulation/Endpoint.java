package dev.mizzen.pilot.testing.simulation;

/**
 * One upstream endpoint of a cluster.
 *
 * @param health    Envoy's health status name (UNKNOWN counts as healthy)
 * @param locality  region/zone/sub_zone, empty parts dropped
 * @param transport the transport socket Envoy uses for it: a transport_socket_matches name or "default"
 */
public record Endpoint(String address, int port, String health, String locality, int weight, String transport) {
    @Override
    public String toString() {
        return address + (port == 0 ? "" : ":" + port)
                + (health.equals("UNKNOWN") || health.equals("HEALTHY") ? "" : " " + health)
                + (transport.equals("default") ? "" : " (" + transport + ")");
    }
}
