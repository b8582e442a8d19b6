package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;

/** Istio {@code CorsPolicy}; {@code allowOrigin} is deprecated in favour of {@code allowOrigins}. */
public record CorsPolicy(
        List<StringMatch> allowOrigins,
        List<String> allowOrigin,
        List<String> allowMethods,
        List<String> allowHeaders,
        List<String> exposeHeaders,
        String maxAge,
        Boolean allowCredentials,
        String unmatchedPreflights) {
    public CorsPolicy {
        allowOrigins = Copies.list(allowOrigins);
        allowOrigin = Copies.list(allowOrigin);
        allowMethods = Copies.list(allowMethods);
        allowHeaders = Copies.list(allowHeaders);
        exposeHeaders = Copies.list(exposeHeaders);
    }
}
