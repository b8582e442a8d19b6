package dev.mizzen.pilot.model;

/** How a proxy finds the endpoints of a service (Istio's resolutions). */
public enum Resolution {
    /** Endpoints come from the control plane (EDS); the proxy balances over them. */
    CLIENT_SIDE_LB,
    /** The proxy resolves the endpoint host names with DNS and balances over all addresses. */
    DNS_LB,
    /** The proxy resolves with DNS and uses one address at a time. */
    DNS_ROUND_ROBIN_LB,
    /** Traffic goes where the client addressed it (headless services, resolution NONE). */
    PASSTHROUGH
}
