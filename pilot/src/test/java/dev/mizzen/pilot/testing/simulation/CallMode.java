package dev.mizzen.pilot.testing.simulation;

/** How a request reaches the proxy. */
public enum CallMode {
    /** An application's outbound call, redirected by iptables to the sidecar's virtualOutbound (15001). */
    OUTBOUND,
    /** A call to the workload, redirected by iptables to the sidecar's virtualInbound (15006). */
    INBOUND,
    /** A call straight to a listener's port, as to a gateway. */
    GATEWAY
}
