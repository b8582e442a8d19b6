package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.HeaderOperations;
import dev.mizzen.api.networking.Headers;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header names and values as Istio checks them: names are RFC 7230 tokens (or, in matches, pseudo-headers
 * and {@code @request.auth.claims} routing keys); operations may not touch {@code :}-headers or Host; values
 * may hold Envoy's {@code %VARIABLE%} expressions, which must be well-formed.
 */
final class HeaderRules {
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final Set<String> PSEUDO_HEADERS = Set.of(":method", ":scheme", ":authority", ":path", ":status");
    private static final String JWT_CLAIM = "@request.auth.claims";

    private HeaderRules() {
    }

    /** A header name in a match: a token, a pseudo-header or a JWT claim routing key. */
    static String matchNameError(String name) {
        if (name.isEmpty()) {
            return "header name cannot be empty";
        }
        if (isJwtClaimRoute(name) || PSEUDO_HEADERS.contains(name) || isToken(name)) {
            return null;
        }
        return "header name " + name + " is not a valid header name";
    }

    /** CORS allow/expose headers: a token or {@code *}. */
    static String corsNameError(String name) {
        if (name.isEmpty()) {
            return "header name cannot be empty";
        }
        return name.equals("*") || isToken(name) ? null : "header name " + name + " is not a valid header name";
    }

    /** Letters, digits and dashes only, e.g. where a JWT claim is copied into a header. */
    static String strictNameError(String name) {
        if (name.isEmpty()) {
            return "header name cannot be empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlnum(c) && c != '-') {
                return "header name " + name + " is not a valid header name";
            }
        }
        return null;
    }

    /** {@code @request.auth.claims.sub} or {@code @request.auth.claims[sub]}. */
    static boolean isJwtClaimRoute(String name) {
        if (!name.toLowerCase(Locale.ROOT).startsWith(JWT_CLAIM)) {
            return false;
        }
        String rest = name.substring(JWT_CLAIM.length());
        return (rest.startsWith(".") && rest.length() > 1)
                || (rest.startsWith("[") && rest.endsWith("]") && rest.length() > 2);
    }

    /** Every header operation of a route or destination. */
    static void checkOperations(Findings out, FieldPath at, Headers headers) {
        if (headers == null) {
            return;
        }
        HeaderOperations request = headers.request();
        if (request != null) {
            FieldPath p = at.field("request");
            setOrAdd(out, p.field("set"), request.set(), true);
            setOrAdd(out, p.field("add"), request.add(), true);
            removed(out, p.field("remove"), request.remove().toArray(String[]::new));
        }
        HeaderOperations response = headers.response();
        if (response != null) {
            FieldPath p = at.field("response");
            setOrAdd(out, p.field("set"), response.set(), false);
            setOrAdd(out, p.field("add"), response.add(), false);
            removed(out, p.field("remove"), response.remove().toArray(String[]::new));
        }
    }

    private static void setOrAdd(Findings out, FieldPath at, Map<String, String> headers, boolean request) {
        headers.forEach((name, value) -> {
            FieldPath p = at.key(name);
            out.errorIf(p, request ? requestOperationNameError(name) : operationNameError(name));
            out.errorIf(p, valueError(value));
        });
    }

    private static void removed(Findings out, FieldPath at, String[] names) {
        for (int i = 0; i < names.length; i++) {
            out.errorIf(at.index(i), operationNameError(names[i]));
        }
    }

    /** Request set/add may rewrite the authority ({@code :authority} or Host); other internal headers no. */
    private static String requestOperationNameError(String name) {
        if (name.isEmpty()) {
            return "header name cannot be empty";
        }
        if (isInternal(name) && !isAuthority(name)) {
            return "invalid header \"" + name + "\": header cannot have \":\" prefix";
        }
        return null;
    }

    private static String operationNameError(String name) {
        if (name.isEmpty()) {
            return "header name cannot be empty";
        }
        if (name.equalsIgnoreCase("host")) {
            return "invalid header \"" + name + "\": cannot set Host header";
        }
        if (name.startsWith(":")) {
            return "invalid header \"" + name + "\": header cannot have \":\" prefix";
        }
        return null;
    }

    static boolean isAuthority(String name) {
        return name.equalsIgnoreCase(":authority") || name.equalsIgnoreCase("host");
    }

    private static boolean isInternal(String name) {
        return name.startsWith(":") || name.equalsIgnoreCase("host");
    }

    /** A header value: no control characters but tab, and well-formed {@code %VAR%}/{@code %VAR(...)%}. */
    static String valueError(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c <= 0x08) || (c >= 0x0A && c <= 0x1F) || c == 0x7F) {
                return "header value configuration " + value + " is invalid";
            }
        }
        String formatError = EnvoyHeaderFormat.error(value);
        return formatError == null ? null : "header value configuration: " + formatError;
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlnum(c) && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
