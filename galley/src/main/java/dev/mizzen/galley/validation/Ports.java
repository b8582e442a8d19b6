package dev.mizzen.galley.validation;

import java.util.Locale;

/** Port numbers, port names and protocol names as Istio checks them. */
final class Ports {
    private Ports() {
    }

    /** A port number in 1..65535; null counts as 0, as in Istio's protos. */
    static String numberError(Integer port) {
        int p = port == null ? 0 : port;
        return p >= 1 && p <= 65535 ? null : "port number " + p + " must be in the range 1..65535";
    }

    static void checkNumber(Findings out, FieldPath at, Integer port) {
        out.errorIf(at, numberError(port));
    }

    /** Port names are DNS-1123 labels. */
    static void checkName(Findings out, FieldPath at, String name) {
        if (!Hosts.isDns1123Label(name)) {
            out.error(at, "invalid port name: " + (name == null ? "" : name));
        }
    }

    /** An empty protocol means "detect it"; anything else must be one Istio knows (case-insensitive). */
    static void checkProtocol(Findings out, FieldPath at, String protocol) {
        if (protocol != null && !protocol.isEmpty() && Protocol.parse(protocol) == Protocol.UNSUPPORTED) {
            out.error(at, "unsupported protocol: " + protocol);
        }
    }

    /** Istio's port protocols and the families Gateway and ServiceEntry rules ask about. */
    enum Protocol {
        TCP, UDP, GRPC, GRPC_WEB, HTTP, HTTP_PROXY, HTTP2, HTTPS, TLS, MONGO, REDIS, MYSQL, UNSUPPORTED;

        static Protocol parse(String name) {
            if (name == null) {
                return UNSUPPORTED;
            }
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "tcp" -> TCP;
                case "udp" -> UDP;
                case "grpc" -> GRPC;
                case "grpc-web" -> GRPC_WEB;
                case "http" -> HTTP;
                case "http_proxy" -> HTTP_PROXY;
                case "http2" -> HTTP2;
                case "https" -> HTTPS;
                case "tls" -> TLS;
                case "mongo" -> MONGO;
                case "redis" -> REDIS;
                case "mysql" -> MYSQL;
                default -> UNSUPPORTED;
            };
        }

        boolean isHttp() {
            return this == HTTP || this == HTTP2 || this == HTTP_PROXY || this == GRPC || this == GRPC_WEB;
        }

        boolean isTls() {
            return this == HTTPS || this == TLS;
        }

        boolean isTcp() {
            return this == TCP || this == HTTPS || this == TLS || this == MONGO || this == REDIS || this == MYSQL;
        }
    }
}
