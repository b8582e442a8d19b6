package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/**
 * Istio's {@code VirtualService} ({@code networking.istio.io}): the routing rules applied to traffic
 * addressed to a set of hosts, by sidecars of the mesh ({@code gateways} absent or {@code mesh}) and/or by
 * the named gateways. HTTP, TLS and TCP routes are each evaluated in order; the first match wins.
 */
public record VirtualService(
        List<String> hosts,
        List<String> gateways,
        List<HttpRoute> http,
        List<TlsRoute> tls,
        List<TcpRoute> tcp,
        List<String> exportTo) {
    public VirtualService {
        hosts = Copies.list(hosts);
        gateways = Copies.list(gateways);
        http = Copies.list(http);
        tls = Copies.list(tls);
        tcp = Copies.list(tcp);
        exportTo = Copies.list(exportTo);
    }
}
