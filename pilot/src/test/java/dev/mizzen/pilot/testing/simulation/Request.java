package dev.mizzen.pilot.testing.simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One call into the proxy, as Istio's simulation tests describe it. Immutable: {@code with*} return copies.
 *
 * <pre>
 * Request.http("10.96.0.20", 9080).withAuthority("reviews:9080").withHeader("end-user", "jason")
 * Request.tcp("10.96.0.5", 3306)
 * Request.http("10.1.0.7", 8080).withMode(CallMode.GATEWAY).withPath("/productpage")
 * </pre>
 *
 * @param address destination IP (or VIP); a host name stands for an address no IP range matches
 * @param alpn    the client's ALPN offer; empty means the default for the TLS mode and protocol
 * @param headers request headers, names lower case
 */
public record Request(CallMode mode, Protocol protocol, TlsMode tls, String address, int port, String authority,
                      String path, String method, Map<String, String> headers, String sni, List<String> alpn,
                      String sourceAddress, int sourcePort) {

    public Request {
        headers = Map.copyOf(headers);
        alpn = List.copyOf(alpn);
        sni = sni == null ? "" : sni.toLowerCase(Locale.ROOT);
    }

    /** A plaintext HTTP/1.1 GET / from the application, Host header {@code address[:port]}. */
    public static Request http(String address, int port) {
        return new Request(CallMode.OUTBOUND, Protocol.HTTP, TlsMode.PLAINTEXT, address, port,
                port == 80 ? address : address + ":" + port, "/", "GET", Map.of(), "", List.of(), "10.1.0.1", 40000);
    }

    /** A plaintext TCP connection from the application. */
    public static Request tcp(String address, int port) {
        return http(address, port).withProtocol(Protocol.TCP);
    }

    /** Opaque TLS (TCP inside) with the given SNI, as for TLS passthrough. */
    public static Request tls(String address, int port, String sni) {
        return tcp(address, port).withTls(TlsMode.TLS).withSni(sni);
    }

    public Request withMode(CallMode value) {
        return new Request(value, protocol, tls, address, port, authority, path, method, headers, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withProtocol(Protocol value) {
        return new Request(mode, value, tls, address, port, authority, path, method, headers, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withTls(TlsMode value) {
        return new Request(mode, protocol, value, address, port, authority, path, method, headers, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withAuthority(String value) {
        return new Request(mode, protocol, tls, address, port, value, path, method, headers, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withPath(String value) {
        return new Request(mode, protocol, tls, address, port, authority, value, method, headers, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withMethod(String value) {
        return new Request(mode, protocol, tls, address, port, authority, path, value, headers, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        return new Request(mode, protocol, tls, address, port, authority, path, method, copy, sni, alpn,
                sourceAddress, sourcePort);
    }

    public Request withSni(String value) {
        return new Request(mode, protocol, tls, address, port, authority, path, method, headers, value, alpn,
                sourceAddress, sourcePort);
    }

    public Request withAlpn(String... values) {
        return new Request(mode, protocol, tls, address, port, authority, path, method, headers, sni,
                List.of(values), sourceAddress, sourcePort);
    }

    public Request withSource(String address, int port) {
        return new Request(mode, protocol, tls, this.address, this.port, authority, path, method, headers, sni,
                alpn, address, port);
    }

    /**
     * The ALPN offer: as given, else what Istio's clients send: the istio-* protocols for mutual TLS
     * (as an Istio sidecar's ISTIO_MUTUAL cluster offers them), nothing for plain TLS.
     */
    List<String> effectiveAlpn() {
        if (!alpn.isEmpty() || tls != TlsMode.MTLS) {
            return alpn;
        }
        return switch (protocol) {
            case HTTP -> List.of("istio-http/1.1", "istio");
            case HTTP2 -> List.of("istio-h2", "istio", "h2");
            case TCP -> List.of("istio-peer-exchange", "istio");
        };
    }

    /** The value of a header as the route matchers see it, pseudo-headers included; null when absent. */
    String header(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case ":authority", "host" -> authority;
            case ":path" -> path;
            case ":method" -> method;
            case ":scheme" -> tls == TlsMode.PLAINTEXT ? "http" : "https";
            default -> headers.get(name.toLowerCase(Locale.ROOT));
        };
    }

    @Override
    public String toString() {
        String target = mode + " " + address + ":" + port;
        if (!protocol.isHttp()) {
            return tls == TlsMode.PLAINTEXT ? "TCP " + target : tls + " (sni " + sni + ") " + target;
        }
        String scheme = tls == TlsMode.PLAINTEXT ? "http" : "https";
        return method + " " + scheme + "://" + authority + path + (headers.isEmpty() ? "" : " " + headers)
                + (protocol == Protocol.HTTP2 ? " (h2)" : "") + (tls == TlsMode.MTLS ? " (mTLS)" : "") + " [" + target
                + "]";
    }
}
