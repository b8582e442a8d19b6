package dev.mizzen.pilot.networking.route;

import com.google.protobuf.BoolValue;
import dev.mizzen.api.networking.CorsPolicy;
import dev.mizzen.api.networking.Durations;
import dev.mizzen.api.networking.StringMatch;

/** Istio's corsPolicy as the per-route config of Envoy's CORS filter. Pure. */
final class CorsPolicies {
    static final String FILTER_NAME = "envoy.filters.http.cors";

    private CorsPolicies() {
    }

    static io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy translate(CorsPolicy cors) {
        var out = io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.newBuilder();
        for (StringMatch origin : cors.allowOrigins()) {
            out.addAllowOriginStringMatch(RouteMatches.stringMatcher(origin));
        }
        for (String origin : cors.allowOrigin()) {
            out.addAllowOriginStringMatch(RouteMatches.stringMatcher(new StringMatch(origin, null, null)));
        }
        if (!cors.allowMethods().isEmpty()) {
            out.setAllowMethods(String.join(",", cors.allowMethods()));
        }
        if (!cors.allowHeaders().isEmpty()) {
            out.setAllowHeaders(String.join(",", cors.allowHeaders()));
        }
        if (!cors.exposeHeaders().isEmpty()) {
            out.setExposeHeaders(String.join(",", cors.exposeHeaders()));
        }
        if (cors.maxAge() != null) {
            out.setMaxAge(Long.toString(Durations.parse(cors.maxAge()).getSeconds()));
        }
        if (cors.allowCredentials() != null) {
            out.setAllowCredentials(BoolValue.of(cors.allowCredentials()));
        }
        return out.build();
    }
}
