package dev.mizzen.pilot.security.authz;

/**
 * Who enforces the generated filters. Sidecars (inbound) and gateways get Istio's full Envoy filters; the
 * proxyless gRPC server gets only what grpc-java's xDS RBAC filter evaluates, as Istio's gRPC generator
 * ({@code pilot/pkg/networking/grpcgen/lds.go}) does.
 */
public enum ProxyKind {
    SIDECAR_INBOUND, GATEWAY, PROXYLESS_GRPC_SERVER
}
