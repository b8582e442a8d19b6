package dev.mizzen.pilot.security.authz;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.OrMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;

import java.util.List;

/**
 * Istio's value syntax to Envoy matchers ({@code pilot/pkg/security/authz/matcher/*.go}): {@code *} is
 * presence (regex {@code .+} for strings), {@code *x} a suffix, {@code x*} a prefix, anything else exact.
 * Pure.
 */
final class StringMatchers {
    static final String JWT_FILTER = "envoy.filters.http.jwt_authn";
    static final String JWT_PAYLOAD = "payload";

    private StringMatchers() {
    }

    static StringMatcher of(String value) {
        return withPrefix(value, "");
    }

    /** A wildcard gives {@code .+} and ignores the prefix; a leading {@code *} with a prefix becomes a regex. */
    static StringMatcher withPrefix(String value, String prefix) {
        if (value.equals("*")) {
            return regex(".+");
        }
        if (value.startsWith("*")) {
            return prefix.isEmpty() ? StringMatcher.newBuilder().setSuffix(value.substring(1)).build()
                    : regex(prefix + ".*" + value.substring(1));
        }
        if (value.endsWith("*")) {
            return StringMatcher.newBuilder().setPrefix(prefix + value.substring(0, value.length() - 1)).build();
        }
        return StringMatcher.newBuilder().setExact(prefix + value).build();
    }

    static StringMatcher regex(String regex) {
        return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex)).build();
    }

    static StringMatcher exact(String value) {
        return StringMatcher.newBuilder().setExact(value).build();
    }

    static StringMatcher prefix(String value) {
        return StringMatcher.newBuilder().setPrefix(value).build();
    }

    static StringMatcher suffix(String value) {
        return StringMatcher.newBuilder().setSuffix(value).build();
    }

    /** Istio's HeaderMatcher: {@code *} is presence, else a string match. */
    static HeaderMatcher header(String name, String value) {
        HeaderMatcher.Builder m = HeaderMatcher.newBuilder().setName(name);
        return value.equals("*") ? m.setPresentMatch(true).build() : m.setStringMatch(of(value)).build();
    }

    /** Istio's HostMatcher: as {@link #header} but case-insensitive. */
    static HeaderMatcher host(String name, String value) {
        HeaderMatcher.Builder m = HeaderMatcher.newBuilder().setName(name);
        return value.equals("*") ? m.setPresentMatch(true).build()
                : m.setStringMatch(of(value).toBuilder().setIgnoreCase(true)).build();
    }

    static PathMatcher path(String value) {
        return PathMatcher.newBuilder().setPath(of(value)).build();
    }

    static ValueMatcher stringValue(StringMatcher m) {
        return ValueMatcher.newBuilder().setStringMatch(m).build();
    }

    /** One value matcher, or an OR of several (Istio's OrMatcher keeps a single matcher bare). */
    static ValueMatcher or(List<ValueMatcher> matchers) {
        return matchers.size() == 1 ? matchers.get(0)
                : ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder().addAllValueMatchers(matchers)).build();
    }

    static ValueMatcher stringOr(List<String> values) {
        return or(values.stream().map(v -> stringValue(of(v))).toList());
    }

    static MetadataMatcher metadata(String filter, List<String> path, ValueMatcher value) {
        MetadataMatcher.Builder m = MetadataMatcher.newBuilder().setFilter(filter).setValue(value);
        path.forEach(key -> m.addPath(MetadataMatcher.PathSegment.newBuilder().setKey(key)));
        return m.build();
    }

    /** A claim of the JWT payload Envoy's jwt_authn filter wrote to its dynamic metadata. */
    static MetadataMatcher jwtClaim(String claim, StringMatcher m) {
        return metadata(JWT_FILTER, List.of(JWT_PAYLOAD, claim), stringValue(m));
    }

    /**
     * Istio's MetadataListValueMatcher with {@code useExtendedJwt}: the claim matches when it is a string
     * that matches, or a list one of whose elements does.
     */
    static MetadataMatcher jwtClaimList(List<String> claimPath, ValueMatcher value) {
        ValueMatcher list = ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder().setOneOf(value)).build();
        ValueMatcher either = ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder()
                .addValueMatchers(list).addValueMatchers(value)).build();
        java.util.ArrayList<String> path = new java.util.ArrayList<>();
        path.add(JWT_PAYLOAD);
        path.addAll(claimPath);
        return metadata(JWT_FILTER, path, either);
    }

    /** Istio's stringMatch over a list: exact, {@code *}, prefix {@code x*} or suffix {@code *x}. */
    static boolean istioStringMatch(String value, List<String> patterns) {
        for (String p : patterns) {
            if (p.equals(value) || p.equals("*")
                    || p.endsWith("*") && value.startsWith(p.substring(0, p.length() - 1))
                    || p.startsWith("*") && value.endsWith(p.substring(1))) {
                return true;
            }
        }
        return false;
    }
}
