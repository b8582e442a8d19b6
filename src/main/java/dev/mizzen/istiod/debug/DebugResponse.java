package dev.mizzen.istiod.debug;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a debug endpoint answers: a status, a content type, the body, and extra headers (paging).
 */
public record DebugResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";

    public DebugResponse {
        headers = Map.copyOf(headers);
    }

    public static DebugResponse json(String body) {
        return new DebugResponse(200, JSON, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static DebugResponse text(int status, String body) {
        return new DebugResponse(status, TEXT, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public DebugResponse withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new DebugResponse(status, contentType, body, all);
    }

    /** Istio's answer for a proxy this istiod does not serve. */
    public static DebugResponse proxyNotConnected() {
        return text(404, "Proxy not connected to this Pilot instance. It may be connected to another instance.\n");
    }

    /** Istio's answer when the proxyID parameter is missing. */
    public static DebugResponse proxyIdRequired() {
        return text(400, "You must provide a proxyID in the query string\n");
    }
}
