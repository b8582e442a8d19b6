package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Int64Range;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route matching: path specifiers, header and query parameter matchers. */
class RouteMatcherTest {
    private static final Request GET = Request.http("10.0.0.1", 80).withPath("/api/v1/Items?id=7&debug");

    private static boolean matches(RouteMatch.Builder m, Request r) {
        return RouteMatcher.matches(m.build(), r);
    }

    private static RouteMatch.Builder any() {
        return RouteMatch.newBuilder().setPrefix("/");
    }

    @Test
    void pathSpecifiers() {
        assertTrue(matches(RouteMatch.newBuilder().setPrefix("/api/v1/Items?id"), GET), "prefix sees the query");
        assertFalse(matches(RouteMatch.newBuilder().setPrefix("/API"), GET));
        assertTrue(matches(RouteMatch.newBuilder().setPrefix("/API").setCaseSensitive(BoolValue.of(false)), GET));
        assertTrue(matches(RouteMatch.newBuilder().setPath("/api/v1/Items"), GET), "path ignores the query");
        assertFalse(matches(RouteMatch.newBuilder().setPath("/api/v1/items"), GET));
        assertTrue(matches(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/api/v[0-9]+/.*")),
                GET));
        assertFalse(matches(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/api")), GET),
                "regexes match the whole path");
        assertTrue(matches(RouteMatch.newBuilder().setPathSeparatedPrefix("/api/v1"), GET));
        assertFalse(matches(RouteMatch.newBuilder().setPathSeparatedPrefix("/api/v"), GET));
    }

    @Test
    void headerMatchers() {
        Request jason = GET.withHeader("end-user", "jason").withHeader("x-version", "42");
        assertTrue(matches(any().addHeaders(header("end-user").setStringMatch(exact("jason"))), jason));
        assertFalse(matches(any().addHeaders(header("end-user").setStringMatch(exact("jason"))), GET));
        assertTrue(matches(any().addHeaders(header("end-user").setStringMatch(StringMatcher.newBuilder()
                .setPrefix("JA").setIgnoreCase(true))), jason));
        assertTrue(matches(any().addHeaders(header("end-user").setStringMatch(StringMatcher.newBuilder()
                .setSafeRegex(RegexMatcher.newBuilder().setRegex("j.*n")))), jason));
        assertTrue(matches(any().addHeaders(header("x-version").setRangeMatch(Int64Range.newBuilder().setStart(40)
                .setEnd(43))), jason));
        assertTrue(matches(any().addHeaders(header(":method").setStringMatch(exact("GET"))), jason));
        assertTrue(matches(any().addHeaders(header(":authority").setStringMatch(exact("10.0.0.1"))), jason));
    }

    @Test
    void missingHeadersAndInversion() {
        Request jason = GET.withHeader("end-user", "jason");
        assertTrue(matches(any().addHeaders(header("end-user").setPresentMatch(true)), jason));
        assertFalse(matches(any().addHeaders(header("end-user").setPresentMatch(true)), GET));
        assertTrue(matches(any().addHeaders(header("end-user").setPresentMatch(true).setInvertMatch(true)), GET));
        assertTrue(matches(any().addHeaders(header("end-user")), jason), "no rule means present");
        assertFalse(matches(any().addHeaders(header("end-user").setStringMatch(exact("mary")).setInvertMatch(true)),
                GET), "a missing header fails an inverted value match");
        assertTrue(matches(any().addHeaders(header("end-user").setStringMatch(exact("mary")).setInvertMatch(true)
                .setTreatMissingHeaderAsEmpty(true)), GET));
        assertTrue(matches(any().addHeaders(header("end-user").setStringMatch(exact("mary")).setInvertMatch(true)),
                jason));
    }

    @Test
    void queryParameters() {
        assertTrue(matches(any().addQueryParameters(QueryParameterMatcher.newBuilder().setName("id")
                .setStringMatch(exact("7"))), GET));
        assertTrue(matches(any().addQueryParameters(QueryParameterMatcher.newBuilder().setName("debug")
                .setPresentMatch(true)), GET));
        assertFalse(matches(any().addQueryParameters(QueryParameterMatcher.newBuilder().setName("missing")
                .setPresentMatch(true)), GET));
    }

    private static HeaderMatcher.Builder header(String name) {
        return HeaderMatcher.newBuilder().setName(name);
    }

    private static StringMatcher exact(String value) {
        return StringMatcher.newBuilder().setExact(value).build();
    }
}
