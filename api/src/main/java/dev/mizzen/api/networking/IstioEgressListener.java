package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio {@code IstioEgressListener}: outbound hosts ({@code namespace/host}) reachable on a port, or on all
 * ports.
 */
public record IstioEgressListener(SidecarPort port, String bind, String captureMode, List<String> hosts) {
    public IstioEgressListener {
        hosts = Copies.list(hosts);
    }
}
