package dev.mizzen.istiod.debug;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request of a debug endpoint, from HTTP or from xDS ({@code istio.io/debug}): the endpoint's name, its query
 * and whom it may show.
 *
 * @param name            the endpoint, e.g. {@code syncz} (the path after {@code /debug/})
 * @param query           query parameters; a parameter without a value maps to an empty string
 * @param callerNamespace the only namespace whose proxies the caller may see; empty for all
 */
public record DebugRequest(String name, Map<String, String> query, Optional<String> callerNamespace) {
    public DebugRequest {
        query = Map.copyOf(query);
    }

    /** Parses {@code name?a=b&c} as Istio's debug generator passes it on. */
    public static DebugRequest parse(String resource, Optional<String> callerNamespace) {
        int q = resource.indexOf('?');
        String name = q < 0 ? resource : resource.substring(0, q);
        return new DebugRequest(name.startsWith("/") ? name.substring(1) : name,
                parseQuery(q < 0 ? null : resource.substring(q + 1)), callerNamespace);
    }

    public static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    public Optional<String> param(String key) {
        return Optional.ofNullable(query.get(key));
    }

    public boolean has(String key) {
        return query.containsKey(key);
    }

    /** A bounded integer parameter: {@code fallback} when absent or unreadable, never above {@code max}. */
    public int intParam(String key, int fallback, int max) {
        try {
            return param(key).map(Integer::parseInt).map(v -> Math.max(0, Math.min(v, max))).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
