package dev.mizzen.api.networking;

/** Istio {@code ConnectionPoolSettings}: TCP and HTTP connection limits. */
public record ConnectionPoolSettings(TcpSettings tcp, HttpSettings http) {
}
