package dev.mizzen.pilot.model;

/** One port of a service: its name (may be empty for single-port services), number, target and protocol. */
public record ServicePort(String name, int port, TargetPort targetPort, Protocol protocol) {
    public ServicePort {
        name = name == null ? "" : name;
    }
}
