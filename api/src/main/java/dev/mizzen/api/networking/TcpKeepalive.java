package dev.mizzen.api.networking;

/** Istio {@code TCPSettings.TcpKeepalive}. */
public record TcpKeepalive(Integer probes, String time, String interval) {
}
