package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio's {@code Sidecar} ({@code networking.istio.io}): narrows what the sidecars of the selected workloads
 * (or the whole namespace) accept inbound and reach outbound.
 */
public record Sidecar(
        WorkloadSelector workloadSelector,
        List<IstioIngressListener> ingress,
        List<IstioEgressListener> egress,
        ConnectionPoolSettings inboundConnectionPool,
        OutboundTrafficPolicy outboundTrafficPolicy) {
    public Sidecar {
        ingress = Copies.list(ingress);
        egress = Copies.list(egress);
    }
}
