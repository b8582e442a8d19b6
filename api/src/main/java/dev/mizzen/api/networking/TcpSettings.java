package dev.mizzen.api.networking;

/** Istio {@code ConnectionPoolSettings.TCPSettings}. */
public record TcpSettings(
        Integer maxConnections,
        String connectTimeout,
        TcpKeepalive tcpKeepalive,
        String maxConnectionDuration,
        String idleTimeout) {
}
