package dev.mizzen.pilot.networking.route;

import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.StringMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.Map;
import java.util.TreeMap;

/** Translates an Istio HTTPMatchRequest into an Envoy RouteMatch. Pure. */
public final class RouteMatches {
    private RouteMatches() {
    }

    /** The match of a route without match conditions: every path. */
    public static RouteMatch catchAll() {
        return RouteMatch.newBuilder().setPrefix("/").build();
    }

    public static RouteMatch translate(HttpMatchRequest match) {
        RouteMatch.Builder out = RouteMatch.newBuilder();
        StringMatch uri = match.uri();
        if (uri == null || isEmpty(uri)) {
            out.setPrefix("/");
        } else if (uri.exact() != null) {
            out.setPath(uri.exact());
        } else if (uri.prefix() != null) {
            out.setPrefix(uri.prefix());
        } else {
            out.setSafeRegex(regex(uri.regex()));
        }
        if (Boolean.TRUE.equals(match.ignoreUriCase())) {
            out.setCaseSensitive(com.google.protobuf.BoolValue.of(false));
        }
        // sorted, so equal config always gives equal bytes
        new TreeMap<>(match.headers()).forEach((name, value) -> out.addHeaders(header(name, value, false)));
        new TreeMap<>(match.withoutHeaders()).forEach((name, value) -> out.addHeaders(header(name, value, true)));
        if (match.method() != null) {
            out.addHeaders(header(":method", match.method(), false));
        }
        if (match.authority() != null) {
            out.addHeaders(header(":authority", match.authority(), false));
        }
        if (match.scheme() != null) {
            out.addHeaders(header(":scheme", match.scheme(), false));
        }
        for (Map.Entry<String, StringMatch> param : new TreeMap<>(match.queryParams()).entrySet()) {
            QueryParameterMatcher.Builder q = QueryParameterMatcher.newBuilder().setName(param.getKey());
            if (isEmpty(param.getValue())) {
                q.setPresentMatch(true);
            } else {
                q.setStringMatch(stringMatcher(param.getValue()));
            }
            out.addQueryParameters(q);
        }
        return out.build();
    }

    private static HeaderMatcher header(String name, StringMatch value, boolean invert) {
        HeaderMatcher.Builder h = HeaderMatcher.newBuilder().setName(name.toLowerCase()).setInvertMatch(invert);
        if (value == null || isEmpty(value)) {
            h.setPresentMatch(true);
        } else {
            h.setStringMatch(stringMatcher(value));
        }
        return h.build();
    }

    static StringMatcher stringMatcher(StringMatch match) {
        StringMatcher.Builder m = StringMatcher.newBuilder();
        if (match.exact() != null) {
            m.setExact(match.exact());
        } else if (match.prefix() != null) {
            m.setPrefix(match.prefix());
        } else {
            m.setSafeRegex(regex(match.regex()));
        }
        return m.build();
    }

    static RegexMatcher regex(String regex) {
        return RegexMatcher.newBuilder().setRegex(regex).build();
    }

    private static boolean isEmpty(StringMatch m) {
        return m.exact() == null && m.prefix() == null && m.regex() == null;
    }
}
