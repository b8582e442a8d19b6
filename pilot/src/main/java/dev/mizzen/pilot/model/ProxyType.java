package dev.mizzen.pilot.model;

/** The kind of proxy, from the first part of its node id. */
public enum ProxyType {
    SIDECAR, ROUTER;

    public static ProxyType fromNodeIdPrefix(String prefix) {
        return switch (prefix) {
            case "sidecar" -> SIDECAR;
            case "router" -> ROUTER;
            default -> throw new IllegalArgumentException("unknown proxy type " + dev.mizzen.api.logging.ClientText.quote(prefix, 64));
        };
    }
}
