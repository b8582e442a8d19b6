package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;
import java.util.Map;

/** Istio {@code TLSMatchAttributes}: TLS connection match conditions. */
public record TlsMatchAttributes(
        List<String> sniHosts,
        List<String> destinationSubnets,
        Integer port,
        Map<String, String> sourceLabels,
        List<String> gateways,
        String sourceNamespace) {
    public TlsMatchAttributes {
        sniHosts = Copies.list(sniHosts);
        destinationSubnets = Copies.list(destinationSubnets);
        sourceLabels = Copies.map(sourceLabels);
        gateways = Copies.list(gateways);
    }
}
