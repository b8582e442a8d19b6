package dev.mizzen.pilot.testing.simulation;

import java.util.List;

/**
 * A downstream connection as Envoy sees it when it picks a filter chain: the local (destination) address,
 * and what the listener filters detected (transport protocol, SNI, ALPN).
 */
record Connection(String localAddress, int localPort, String transportProtocol, String sni, List<String> alpn,
                  String sourceAddress, int sourcePort) {

    Connection {
        alpn = List.copyOf(alpn);
    }

    Connection withTls(String sniValue, List<String> alpnValue) {
        return new Connection(localAddress, localPort, "tls", sniValue, alpnValue, sourceAddress, sourcePort);
    }

    Connection withAlpn(List<String> value) {
        return new Connection(localAddress, localPort, transportProtocol, sni, value, sourceAddress, sourcePort);
    }

    /** Envoy's default when no listener filter detected a transport protocol. */
    Connection withDefaultTransport() {
        return transportProtocol.isEmpty()
                ? new Connection(localAddress, localPort, "raw_buffer", sni, alpn, sourceAddress, sourcePort) : this;
    }
}
