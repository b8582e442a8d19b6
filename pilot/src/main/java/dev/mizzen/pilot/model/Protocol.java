package dev.mizzen.pilot.model;

import java.util.Locale;

/**
 * The application protocol of a service port, selected as Istio does: the port's appProtocol first,
 * then the prefix of its name ({@code http-web} is HTTP); anything else is left to detection.
 */
public enum Protocol {
    HTTP, HTTP2, GRPC, GRPC_WEB, HTTPS, TCP, TLS, MONGO, MYSQL, REDIS, UDP, UNSUPPORTED;

    public static Protocol select(String portName, String appProtocol, String transport) {
        if ("UDP".equalsIgnoreCase(transport)) {
            return UDP;
        }
        Protocol fromAppProtocol = parse(appProtocol);
        if (fromAppProtocol != UNSUPPORTED) {
            return fromAppProtocol;
        }
        if (portName == null) {
            return UNSUPPORTED;
        }
        String name = portName.toLowerCase(Locale.ROOT);
        Protocol exact = parse(name);
        if (exact != UNSUPPORTED) {
            return exact;
        }
        int dash = name.indexOf('-');
        // grpc-web is a protocol name of its own before it is a prefix
        if (name.startsWith("grpc-web")) {
            return GRPC_WEB;
        }
        return dash > 0 ? parse(name.substring(0, dash)) : UNSUPPORTED;
    }

    /** Parses a protocol name as Istio spells it in Gateway and ServiceEntry ports (case-insensitive). */
    public static Protocol parse(String value) {
        if (value == null || value.isEmpty()) {
            return UNSUPPORTED;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "http", "kubernetes.io/ws", "kubernetes.io/wss" -> HTTP;
            case "http2", "kubernetes.io/h2c" -> HTTP2;
            case "grpc" -> GRPC;
            case "grpc-web" -> GRPC_WEB;
            case "https" -> HTTPS;
            case "tcp" -> TCP;
            case "tls" -> TLS;
            case "mongo" -> MONGO;
            case "mysql" -> MYSQL;
            case "redis" -> REDIS;
            case "udp" -> UDP;
            default -> UNSUPPORTED;
        };
    }

    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB;
    }

    public boolean isTcp() {
        return this == TCP || this == HTTPS || this == TLS || this == MONGO || this == MYSQL || this == REDIS;
    }
}
