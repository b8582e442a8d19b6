package dev.mizzen.pilot.security.authz;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A mesh extension provider a CUSTOM policy names ({@code meshConfig.extensionProviders[]} with
 * {@code envoyExtAuthzHttp} or {@code envoyExtAuthzGrpc}), with its service already resolved to a host name
 * (Istio resolves {@code [ns/]host} against the registry; the push context does it here). Immutable; build
 * with {@link #http} or {@link #grpc} and the {@code with*} copies.
 *
 * @param service             the FQDN of the authorizer, e.g. {@code ext-authz.foo.svc.cluster.local}
 * @param timeout             null for Istio's default (600 s for HTTP, none for gRPC)
 * @param statusOnError       HTTP status on authorizer errors, e.g. "403"; empty for Envoy's default
 * @param includeRequestBody  null to send no body
 */
public record ExtAuthzProvider(String name, Kind kind, String service, int port, Duration timeout,
                               FailureMode failureMode, String statusOnError, String pathPrefix,
                               List<String> includeRequestHeadersInCheck, Map<String, String> includeAdditionalHeadersInCheck,
                               List<String> headersToUpstreamOnAllow, List<String> headersToDownstreamOnDeny,
                               RequestBody includeRequestBody) {

    public enum Kind { HTTP, GRPC }

    /** Whether requests pass when the authorizer cannot be reached (Istio's {@code failOpen}). */
    public enum FailureMode { FAIL_CLOSED, FAIL_OPEN }

    /** Istio's {@code includeRequestBodyInCheck}. */
    public record RequestBody(int maxRequestBytes, PartialMessage partialMessage, BodyEncoding encoding) {
        public enum PartialMessage { REJECT, ALLOW }

        public enum BodyEncoding { UTF8_STRING, BYTES }
    }

    public ExtAuthzProvider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(service, "service");
        failureMode = failureMode == null ? FailureMode.FAIL_CLOSED : failureMode;
        statusOnError = statusOnError == null ? "" : statusOnError;
        pathPrefix = pathPrefix == null ? "" : pathPrefix;
        includeRequestHeadersInCheck = List.copyOf(includeRequestHeadersInCheck == null ? List.of() : includeRequestHeadersInCheck);
        includeAdditionalHeadersInCheck = includeAdditionalHeadersInCheck == null ? Map.of()
                : new java.util.TreeMap<>(includeAdditionalHeadersInCheck);
        headersToUpstreamOnAllow = List.copyOf(headersToUpstreamOnAllow == null ? List.of() : headersToUpstreamOnAllow);
        headersToDownstreamOnDeny = List.copyOf(headersToDownstreamOnDeny == null ? List.of() : headersToDownstreamOnDeny);
    }

    public static ExtAuthzProvider http(String name, String service, int port) {
        return new ExtAuthzProvider(name, Kind.HTTP, service, port, null, null, null, null, null, null, null, null, null);
    }

    public static ExtAuthzProvider grpc(String name, String service, int port) {
        return new ExtAuthzProvider(name, Kind.GRPC, service, port, null, null, null, null, null, null, null, null, null);
    }

    /** The same provider with its service resolved to the authorizer's host name (see the push context). */
    public ExtAuthzProvider withService(String host) {
        return new ExtAuthzProvider(name, kind, host, port, timeout, failureMode, statusOnError, pathPrefix,
                includeRequestHeadersInCheck, includeAdditionalHeadersInCheck, headersToUpstreamOnAllow,
                headersToDownstreamOnDeny, includeRequestBody);
    }

    public ExtAuthzProvider withTimeout(Duration value) {
        return new ExtAuthzProvider(name, kind, service, port, value, failureMode, statusOnError, pathPrefix,
                includeRequestHeadersInCheck, includeAdditionalHeadersInCheck, headersToUpstreamOnAllow,
                headersToDownstreamOnDeny, includeRequestBody);
    }

    public ExtAuthzProvider withFailureMode(FailureMode value) {
        return new ExtAuthzProvider(name, kind, service, port, timeout, value, statusOnError, pathPrefix,
                includeRequestHeadersInCheck, includeAdditionalHeadersInCheck, headersToUpstreamOnAllow,
                headersToDownstreamOnDeny, includeRequestBody);
    }

    public ExtAuthzProvider withStatusOnError(String value) {
        return new ExtAuthzProvider(name, kind, service, port, timeout, failureMode, value, pathPrefix,
                includeRequestHeadersInCheck, includeAdditionalHeadersInCheck, headersToUpstreamOnAllow,
                headersToDownstreamOnDeny, includeRequestBody);
    }

    public ExtAuthzProvider withPathPrefix(String value) {
        return new ExtAuthzProvider(name, kind, service, port, timeout, failureMode, statusOnError, value,
                includeRequestHeadersInCheck, includeAdditionalHeadersInCheck, headersToUpstreamOnAllow,
                headersToDownstreamOnDeny, includeRequestBody);
    }

    public ExtAuthzProvider withHeaders(List<String> includeRequestHeaders, Map<String, String> additionalHeaders,
                                        List<String> toUpstreamOnAllow, List<String> toDownstreamOnDeny) {
        return new ExtAuthzProvider(name, kind, service, port, timeout, failureMode, statusOnError, pathPrefix,
                includeRequestHeaders, additionalHeaders, toUpstreamOnAllow, toDownstreamOnDeny, includeRequestBody);
    }

    public ExtAuthzProvider withRequestBody(RequestBody value) {
        return new ExtAuthzProvider(name, kind, service, port, timeout, failureMode, statusOnError, pathPrefix,
                includeRequestHeadersInCheck, includeAdditionalHeadersInCheck, headersToUpstreamOnAllow,
                headersToDownstreamOnDeny, value);
    }

    /** Istio's outbound cluster of the authorizer: {@code outbound|<port>||<host>}. */
    public String cluster() {
        return "outbound|" + port + "||" + service;
    }

    /** What Istio rejects in a provider (bad port, status or path prefix), or empty. */
    List<String> problems() {
        List<String> out = new java.util.ArrayList<>();
        if (port < 1 || port > 65535) {
            out.add("port must be in the range [1, 65535], found: " + port);
        }
        if (!statusOnError.isEmpty()) {
            try {
                int code = Integer.parseInt(statusOnError);
                if (io.envoyproxy.envoy.type.v3.StatusCode.forNumber(code) == null) {
                    out.add("unsupported statusOnError " + statusOnError);
                }
            } catch (NumberFormatException e) {
                out.add("invalid statusOnError " + statusOnError);
            }
        }
        if (!pathPrefix.isEmpty() && !pathPrefix.startsWith("/")) {
            out.add("pathPrefix must begin with `/`, found: \"" + pathPrefix + "\"");
        }
        if (service.isEmpty() || service.contains("*")) {
            out.add("service must be a host name, found: \"" + service + "\"");
        }
        return out;
    }
}
