package dev.mizzen.pilot.networking.telemetry;

/** Which side of a proxy a listener serves (Istio's ListenerClass): what telemetry mode applies to it. */
public enum ListenerClass {
    SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY;

    /** Istio's workloadMode: a sidecar's inbound side is the server, everything else the client. */
    String mode() {
        return this == SIDECAR_INBOUND ? "SERVER" : "CLIENT";
    }
}
