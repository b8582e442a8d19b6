package dev.mizzen.pilot.security.authz;

/**
 * What will evaluate the generated RBAC: Envoy's HTTP filter (every attribute), Envoy's network filter
 * (no HTTP attributes: hosts, paths, methods, headers, request principals and JWT claims) or grpc-java's xDS
 * server RBAC filter (no dynamic metadata, URI templates, {@code grpc-*} or {@code :scheme} headers).
 */
enum RuleTarget {
    ENVOY_HTTP, ENVOY_TCP, PROXYLESS_GRPC
}
