package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;
import java.util.Map;

/**
 * Istio's {@code Gateway} ({@code networking.istio.io}): the servers (ports, hosts, TLS) a gateway proxy,
 * chosen by its pod labels, exposes at the edge of the mesh.
 */
public record Gateway(Map<String, String> selector, List<Server> servers) {
    public Gateway {
        selector = Copies.map(selector);
        servers = Copies.list(servers);
    }
}
