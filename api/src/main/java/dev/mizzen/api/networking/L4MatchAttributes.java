package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;
import java.util.Map;

/** Istio {@code L4MatchAttributes}: L4 connection match conditions. */
public record L4MatchAttributes(
        List<String> destinationSubnets,
        Integer port,
        String sourceSubnet,
        Map<String, String> sourceLabels,
        List<String> gateways,
        String sourceNamespace) {
    public L4MatchAttributes {
        destinationSubnets = Copies.list(destinationSubnets);
        sourceLabels = Copies.map(sourceLabels);
        gateways = Copies.list(gateways);
    }
}
