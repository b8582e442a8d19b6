package dev.mizzen.api.networking;

/**
 * Istio {@code IstioIngressListener}: an inbound port of the sidecar; {@code captureMode} is an enum kept as
 * a string.
 */
public record IstioIngressListener(
        SidecarPort port,
        String bind,
        String captureMode,
        String defaultEndpoint,
        ServerTlsSettings tls,
        ConnectionPoolSettings connectionPool) {
}
