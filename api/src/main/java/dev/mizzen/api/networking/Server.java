package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code Server}: a port a gateway listens on, the hosts it serves there and their TLS. */
public record Server(
        Port port,
        String bind,
        List<String> hosts,
        ServerTlsSettings tls,
        String defaultEndpoint,
        String name) {
    public Server {
        hosts = Copies.list(hosts);
    }
}
