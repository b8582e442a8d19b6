package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.route.v3.RouteMatch;

/**
 * Whether a route's match accepts a request. Path: prefix against the whole :path (query included), path
 * and safe_regex (full match) and path_separated_prefix against the path without query, all honouring
 * case_sensitive (default true) except the regex. Then every header and query parameter matcher.
 * runtime_fraction is taken as matching; grpc checks the content-type; tls_context checks the TLS mode.
 */
final class RouteMatcher {
    private RouteMatcher() {
    }

    static boolean matches(RouteMatch m, Request request) {
        return path(m, request.path())
                && m.getHeadersList().stream().allMatch(h -> Matchers.header(h, request))
                && m.getQueryParametersList().stream().allMatch(q -> Matchers.queryParameter(q, request.path()))
                && grpc(m, request)
                && tlsContext(m, request)
                && supported(m);
    }

    private static boolean path(RouteMatch m, String fullPath) {
        boolean caseSensitive = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
        String path = Matchers.withoutQuery(fullPath);
        return switch (m.getPathSpecifierCase()) {
            case PREFIX -> startsWith(fullPath, m.getPrefix(), caseSensitive);
            case PATH -> caseSensitive ? path.equals(m.getPath()) : path.equalsIgnoreCase(m.getPath());
            case SAFE_REGEX -> Matchers.regex(m.getSafeRegex(), path);
            case PATH_SEPARATED_PREFIX -> {
                String prefix = m.getPathSeparatedPrefix();
                yield path.length() == prefix.length() ? startsWith(path, prefix, caseSensitive)
                        : startsWith(path, prefix + "/", caseSensitive);
            }
            case CONNECT_MATCHER -> false; // CONNECT requests are not simulated
            case PATH_MATCH_POLICY -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "path_match_policy");
            case PATHSPECIFIER_NOT_SET -> throw new SimulationStop(Failure.Kind.CONFIG_REJECTED,
                    "route match without a path specifier");
        };
    }

    private static boolean startsWith(String s, String prefix, boolean caseSensitive) {
        return s.regionMatches(!caseSensitive, 0, prefix, 0, prefix.length());
    }

    private static boolean grpc(RouteMatch m, Request request) {
        String contentType = request.header("content-type");
        return !m.hasGrpc() || contentType != null && contentType.startsWith("application/grpc");
    }

    private static boolean tlsContext(RouteMatch m, Request request) {
        if (!m.hasTlsContext()) {
            return true;
        }
        boolean tls = request.tls() != TlsMode.PLAINTEXT;
        boolean presented = request.tls() == TlsMode.MTLS;
        return (!m.getTlsContext().hasPresented() || m.getTlsContext().getPresented().getValue() == presented)
                && (!m.getTlsContext().hasValidated() || m.getTlsContext().getValidated().getValue() == (presented && tls));
    }

    private static boolean supported(RouteMatch m) {
        if (m.getDynamicMetadataCount() > 0 || m.getFilterStateCount() > 0) {
            throw new SimulationStop(Failure.Kind.UNSUPPORTED, "route match on dynamic metadata or filter state");
        }
        return true;
    }
}
