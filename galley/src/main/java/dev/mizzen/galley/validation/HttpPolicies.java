package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.CorsPolicy;
import dev.mizzen.api.networking.FaultAbort;
import dev.mizzen.api.networking.FaultDelay;
import dev.mizzen.api.networking.Headers;
import dev.mizzen.api.networking.HttpDirectResponse;
import dev.mizzen.api.networking.HttpFaultInjection;
import dev.mizzen.api.networking.HttpRedirect;
import dev.mizzen.api.networking.HttpRetry;
import dev.mizzen.api.networking.HttpRewrite;
import dev.mizzen.api.networking.RegexRewrite;
import dev.mizzen.api.networking.StringMatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The policies of an HTTP route: CORS, fault injection, redirect, direct response, retries and rewrites. */
final class HttpPolicies {
    private static final Set<String> CORS_METHODS = Set.of(
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*");
    private static final Set<String> GRPC_STATUSES = Set.of(
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");
    /** Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on conditions. */
    private static final Set<String> RETRY_ON = Set.of(
            "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
            "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
            "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
            "unavailable");
    /** The HTTP status codes with a registered reason phrase: retryOn may name them. */
    private static final Set<Integer> KNOWN_STATUSES = Set.of(
            100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307,
            308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
            422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511);
    private static final int KIB = 1024;

    private HttpPolicies() {
    }

    static void checkCors(Findings out, FieldPath at, CorsPolicy cors) {
        if (cors == null) {
            return;
        }
        for (int i = 0; i < cors.allowOrigins().size(); i++) {
            FieldPath p = at.field("allowOrigins").index(i);
            StringMatch origin = cors.allowOrigins().get(i);
            String value = origin.exact() != null ? origin.exact() : origin.prefix() != null ? origin.prefix() : origin.regex();
            if (value == null || value.isEmpty()) {
                out.error(p, "'' is not a valid match type for CORS allow origins");
            } else {
                HttpRouteValidator.checkStringMatch(out, p, origin, false);
            }
        }
        for (int i = 0; i < cors.allowMethods().size(); i++) {
            String method = cors.allowMethods().get(i);
            if (!CORS_METHODS.contains(method)) {
                out.error(at.field("allowMethods").index(i), "\"" + method + "\" is not a supported HTTP method");
            }
        }
        for (int i = 0; i < cors.allowHeaders().size(); i++) {
            out.errorIf(at.field("allowHeaders").index(i), HeaderRules.corsNameError(cors.allowHeaders().get(i)));
        }
        for (int i = 0; i < cors.exposeHeaders().size(); i++) {
            out.errorIf(at.field("exposeHeaders").index(i), HeaderRules.corsNameError(cors.exposeHeaders().get(i)));
        }
        Duration maxAge = DurationRules.check(out, at.field("maxAge"), cors.maxAge());
        if (maxAge != null && maxAge.getNano() != 0) {
            out.error(at.field("maxAge"), "max_age duration is accurate only to seconds precision");
        }
        Enums.check(out, at.field("unmatchedPreflights"), cors.unmatchedPreflights(), Set.of("UNSPECIFIED", "FORWARD", "IGNORE"));
    }

    static void checkFault(Findings out, FieldPath at, HttpFaultInjection fault) {
        if (fault == null) {
            return;
        }
        if (fault.abort() == null && fault.delay() == null) {
            out.error(at, "HTTP fault injection must have an abort and/or a delay");
        }
        if (fault.abort() != null) {
            abort(out, at.field("abort"), fault.abort());
        }
        if (fault.delay() != null) {
            delay(out, at.field("delay"), fault.delay());
        }
    }

    private static void abort(Findings out, FieldPath at, FaultAbort abort) {
        Percentages.checkFraction(out, at.field("percentage"), abort.percentage());
        if (Enums.countSet(abort.httpStatus(), abort.grpcStatus(), abort.http2Error()) > 1) {
            out.error(at, "only one of httpStatus, grpcStatus or http2Error can be set");
        }
        if (abort.httpStatus() != null) {
            out.errorIf(at.field("httpStatus"), httpStatusError(abort.httpStatus()));
        } else if (abort.grpcStatus() != null) {
            if (!GRPC_STATUSES.contains(abort.grpcStatus())) {
                out.error(at.field("grpcStatus"), "gRPC status \"" + abort.grpcStatus()
                        + "\" is not supported; use a name such as NOT_FOUND or UNAVAILABLE");
            }
        } else if (abort.http2Error() != null) {
            out.error(at.field("http2Error"), "HTTP/2 abort fault injection not supported yet");
        } else {
            out.warning(at, "abort configured, but error type not set");
        }
    }

    private static void delay(Findings out, FieldPath at, FaultDelay delay) {
        Percentages.checkFraction(out, at.field("percentage"), delay.percentage());
        if (delay.fixedDelay() != null && delay.exponentialDelay() != null) {
            out.error(at, "only one of fixedDelay or exponentialDelay can be set");
        }
        DurationRules.check(out, at.field("fixedDelay"), delay.fixedDelay());
        if (delay.exponentialDelay() != null) {
            DurationRules.check(out, at.field("exponentialDelay"), delay.exponentialDelay());
            out.error(at.field("exponentialDelay"), "exponentialDelay not supported yet");
        }
    }

    static String httpStatusError(Integer status) {
        int s = status == null ? 0 : status;
        return s < 200 || s > 600 ? "HTTP status " + s + " is not in range 200-599" : null;
    }

    static void checkRedirect(Findings out, FieldPath at, HttpRedirect redirect) {
        if (redirect == null) {
            return;
        }
        if (isEmpty(redirect.uri()) && isEmpty(redirect.authority()) && isEmpty(redirect.scheme())
                && redirect.port() == null && redirect.derivePort() == null) {
            out.error(at, "redirect must specify URI, authority, scheme, or port");
        }
        if (redirect.port() != null && redirect.derivePort() != null) {
            out.error(at, "only one of port or derivePort can be set");
        }
        Integer code = redirect.redirectCode();
        if (code != null && code != 0 && (code < 300 || code > 399)) {
            out.error(at.field("redirectCode"), code + " is not a valid redirect code, must be 3xx");
        }
        String scheme = redirect.scheme();
        if (!isEmpty(scheme) && !scheme.equals("http") && !scheme.equals("https")) {
            out.error(at.field("scheme"), "invalid redirect scheme, must be \"http\" or \"https\"");
        }
        if (redirect.port() != null && redirect.port() != 0) {
            Ports.checkNumber(out, at.field("port"), redirect.port());
        }
        Enums.check(out, at.field("derivePort"), redirect.derivePort(), Set.of("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"));
    }

    static void checkDirectResponse(Findings out, FieldPath at, HttpDirectResponse response) {
        if (response == null) {
            return;
        }
        if (response.body() != null) {
            FieldPath body = at.field("body");
            if (Enums.countSet(response.body().string(), response.body().bytes()) > 1) {
                out.error(body, "only one of string or bytes can be set");
            }
            long size = 0;
            if (response.body().string() != null) {
                size = response.body().string().getBytes(StandardCharsets.UTF_8).length;
            } else if (response.body().bytes() != null) {
                try {
                    size = Base64.getDecoder().decode(response.body().bytes()).length;
                } catch (IllegalArgumentException e) {
                    out.error(body.field("bytes"), "bytes must be base64: " + e.getMessage());
                }
            }
            if (size > 1024 * KIB) {
                out.error(body, "large direct_responses may impact control plane performance, must be less than 1MB");
            } else if (size > 100 * KIB) {
                out.warning(body, "large direct_responses may impact control plane performance");
            }
        }
        out.errorIf(at.field("status"), httpStatusError(response.status()));
    }

    static void checkRetries(Findings out, FieldPath at, HttpRetry retries) {
        if (retries == null) {
            return;
        }
        int attempts = retries.attempts() == null ? 0 : retries.attempts();
        if (attempts < 0) {
            out.error(at.field("attempts"), "attempts cannot be negative");
        }
        if (attempts == 0 && (retries.perTryTimeout() != null || !isEmpty(retries.retryOn())
                || retries.retryRemoteLocalities() != null)) {
            out.error(at, "http retry policy configured when attempts are set to 0 (disabled)");
        }
        DurationRules.check(out, at.field("perTryTimeout"), retries.perTryTimeout());
        if (!isEmpty(retries.retryOn())) {
            for (String policy : retries.retryOn().split(",", -1)) {
                if (!RETRY_ON.contains(policy) && !KNOWN_STATUSES.contains(statusCode(policy))) {
                    out.error(at.field("retryOn"), "\"" + policy + "\" is not a valid retryOn policy");
                }
            }
        }
        DurationRules.check(out, at.field("backoff"), retries.backoff());
    }

    private static int statusCode(String policy) {
        try {
            return Integer.parseInt(policy);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The rewrite itself, and that the authority is rewritten in one place only. */
    static void checkRewrite(Findings out, FieldPath route, HttpRewrite rewrite, Headers headers) {
        FieldPath at = route.field("rewrite");
        if (rewrite != null) {
            RegexRewrite regex = rewrite.uriRegexRewrite();
            if (!isEmpty(rewrite.uri()) && regex != null) {
                out.error(at, "rewrite may only contain one of URI or UriRegexRewrite");
            }
            if (isEmpty(rewrite.uri()) && regex == null && isEmpty(rewrite.authority())) {
                out.error(at, "rewrite must specify at least one of URI, UriRegexRewrite, or authority");
            }
            if (regex != null) {
                if (isEmpty(regex.match()) || isEmpty(regex.rewrite())) {
                    out.error(at.field("uriRegexRewrite"), "UriRegexRewrite requires both Rewrite and Match fields to be specified");
                } else {
                    out.errorIf(at.field("uriRegexRewrite").field("match"), Regexes.error(regex.match()));
                }
            }
        }
        String current = rewrite == null || rewrite.authority() == null ? "" : rewrite.authority();
        if (headers != null && headers.request() != null) {
            for (Map<String, String> ops : List.of(headers.request().set(), headers.request().add())) {
                for (Map.Entry<String, String> e : ops.entrySet()) {
                    if (!HeaderRules.isAuthority(e.getKey())) {
                        continue;
                    }
                    if (!current.isEmpty()) {
                        out.error(route.field("headers"), "authority header cannot be set multiple times: have \""
                                + current + "\", attempting to set \"" + e.getValue() + "\"");
                    }
                    current = e.getValue();
                }
            }
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
