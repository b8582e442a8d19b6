package dev.mizzen.pilot.testing.simulation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the security filters of an inbound chain see it: who the peer is (its mTLS URI SAN, or none
 * for plaintext), where it comes from (the direct peer IP and the original client IP Envoy derives from
 * X-Forwarded-For), where it goes, and the HTTP attributes. Immutable: {@code with*} return copies.
 *
 * <pre>
 * SecurityRequest.http("GET", "/ratings/1").from("spiffe://cluster.local/ns/default/sa/bookinfo-productpage")
 *     .withHeader("authorization", "Bearer " + token)
 * </pre>
 *
 * @param principal the peer's certificate URI SAN; null when the connection is not mutual TLS
 * @param remoteIp  the original client (x-forwarded-for, proxy protocol); the direct peer if none
 * @param headers   lower-case names
 */
public record SecurityRequest(Protocol protocol, String principal, String sourceIp, String remoteIp,
                              String destinationIp, int destinationPort, String sni, String method, String path,
                              String host, Map<String, String> headers) {
    public SecurityRequest {
        headers = Map.copyOf(headers);
        sni = sni == null ? "" : sni;
    }

    public static SecurityRequest http(String method, String path) {
        return new SecurityRequest(Protocol.HTTP, null, "10.1.0.1", "10.1.0.1", "10.1.0.9", 9080, "", method, path,
                "service.default.svc.cluster.local:9080", Map.of());
    }

    public static SecurityRequest tcp(int port) {
        return new SecurityRequest(Protocol.TCP, null, "10.1.0.1", "10.1.0.1", "10.1.0.9", port, "", "", "", "",
                Map.of());
    }

    public SecurityRequest from(String spiffe) {
        return new SecurityRequest(protocol, spiffe, sourceIp, remoteIp, destinationIp, destinationPort, sni, method,
                path, host, headers);
    }

    /** From the mesh identity {@code spiffe://cluster.local/ns/<ns>/sa/<sa>}. */
    public SecurityRequest fromServiceAccount(String namespace, String serviceAccount) {
        return from("spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount);
    }

    public SecurityRequest withSourceIp(String ip) {
        return new SecurityRequest(protocol, principal, ip, ip, destinationIp, destinationPort, sni, method, path, host,
                headers);
    }

    public SecurityRequest withRemoteIp(String ip) {
        return new SecurityRequest(protocol, principal, sourceIp, ip, destinationIp, destinationPort, sni, method, path,
                host, headers);
    }

    public SecurityRequest to(String ip, int port) {
        return new SecurityRequest(protocol, principal, sourceIp, remoteIp, ip, port, sni, method, path, host, headers);
    }

    public SecurityRequest withHost(String value) {
        return new SecurityRequest(protocol, principal, sourceIp, remoteIp, destinationIp, destinationPort, sni, method,
                path, value, headers);
    }

    public SecurityRequest withSni(String value) {
        return new SecurityRequest(protocol, principal, sourceIp, remoteIp, destinationIp, destinationPort, value, method,
                path, host, headers);
    }

    public SecurityRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        return new SecurityRequest(protocol, principal, sourceIp, remoteIp, destinationIp, destinationPort, sni, method,
                path, host, copy);
    }

    public SecurityRequest withBearer(String token) {
        return withHeader("authorization", "Bearer " + token);
    }

    /** A header as Envoy's RBAC header matchers see it, pseudo-headers included; null when absent. */
    String header(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case ":authority", "host" -> host;
            case ":path" -> path;
            case ":method" -> method;
            case ":scheme" -> "http";
            default -> headers.get(name.toLowerCase(Locale.ROOT));
        };
    }

    @Override
    public String toString() {
        String who = (principal == null ? "plaintext" : principal) + " @" + sourceIp
                + (remoteIp.equals(sourceIp) ? "" : " (xff " + remoteIp + ")");
        return protocol == Protocol.TCP ? "TCP :" + destinationPort + " from " + who
                : method + " " + host + path + " from " + who + (headers.isEmpty() ? "" : " " + headers.keySet());
    }
}
