package dev.mizzen.pilot.testing.simulation;

import com.google.re2j.Pattern;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Envoy's header, query parameter, string and regex matchers. Regexes are RE2 (re2j), full match. */
final class Matchers {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private Matchers() {
    }

    /**
     * Envoy's HeaderUtility matchers: a present match (also a matcher without a rule) checks existence,
     * inverted by invert_match; any other matcher fails on a missing header, whatever invert_match says,
     * unless treat_missing_header_as_empty.
     * The deprecated direct matchers (exact_match, prefix_match, ...) are still honoured.
     */
    @SuppressWarnings("deprecation")
    static boolean header(HeaderMatcher m, Request request) {
        String value = request.header(m.getName());
        HeaderMatcher.HeaderMatchSpecifierCase kind = m.getHeaderMatchSpecifierCase();
        if (kind == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
                || kind == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET) {
            boolean wanted = kind == HeaderMatcher.HeaderMatchSpecifierCase.HEADERMATCHSPECIFIER_NOT_SET
                    || m.getPresentMatch();
            return (wanted == (value != null)) != m.getInvertMatch();
        }
        if (value == null && !m.getTreatMissingHeaderAsEmpty()) {
            return false;
        }
        String v = value == null ? "" : value;
        boolean match = switch (m.getHeaderMatchSpecifierCase()) {
            case EXACT_MATCH -> m.getExactMatch().isEmpty() || v.equals(m.getExactMatch());
            case SAFE_REGEX_MATCH -> regex(m.getSafeRegexMatch(), v);
            case RANGE_MATCH -> inRange(v, m.getRangeMatch().getStart(), m.getRangeMatch().getEnd());
            case PREFIX_MATCH -> v.startsWith(m.getPrefixMatch());
            case SUFFIX_MATCH -> v.endsWith(m.getSuffixMatch());
            case CONTAINS_MATCH -> v.contains(m.getContainsMatch());
            case STRING_MATCH -> string(m.getStringMatch(), v);
            case PRESENT_MATCH, HEADERMATCHSPECIFIER_NOT_SET -> throw new IllegalStateException("handled above");
        };
        return match != m.getInvertMatch();
    }

    /** The first value of the parameter; a missing parameter never matches. */
    static boolean queryParameter(QueryParameterMatcher m, String path) {
        String value = queryParameters(path).get(m.getName());
        if (value == null) {
            return false;
        }
        return switch (m.getQueryParameterMatchSpecifierCase()) {
            case STRING_MATCH -> string(m.getStringMatch(), value);
            case PRESENT_MATCH -> m.getPresentMatch();
            case QUERYPARAMETERMATCHSPECIFIER_NOT_SET -> true;
        };
    }

    static boolean string(StringMatcher m, String value) {
        boolean ignoreCase = m.getIgnoreCase();
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        return switch (m.getMatchPatternCase()) {
            case EXACT -> v.equals(lower(m.getExact(), ignoreCase));
            case PREFIX -> v.startsWith(lower(m.getPrefix(), ignoreCase));
            case SUFFIX -> v.endsWith(lower(m.getSuffix(), ignoreCase));
            case CONTAINS -> v.contains(lower(m.getContains(), ignoreCase));
            case SAFE_REGEX -> regex(m.getSafeRegex(), value);
            case CUSTOM, MATCHPATTERN_NOT_SET -> throw new SimulationStop(Failure.Kind.UNSUPPORTED,
                    "string matcher " + m.getMatchPatternCase());
        };
    }

    static boolean regex(RegexMatcher m, String value) {
        return PATTERNS.computeIfAbsent(m.getRegex(), Pattern::compile).matches(value);
    }

    static String withoutQuery(String path) {
        int end = path.length();
        for (char c : new char[] {'?', '#'}) {
            int i = path.indexOf(c);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        return path.substring(0, end);
    }

    private static Map<String, String> queryParameters(String path) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q < 0) {
            return out;
        }
        String query = path.substring(q + 1);
        int hash = query.indexOf('#');
        for (String pair : (hash >= 0 ? query.substring(0, hash) : query).split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                out.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static boolean inRange(String value, long start, long end) {
        try {
            long v = Long.parseLong(value);
            return v >= start && v < end;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String lower(String s, boolean ignoreCase) {
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }
}
