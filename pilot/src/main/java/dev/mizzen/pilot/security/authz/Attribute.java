package dev.mizzen.pilot.security.authz;

import java.util.Set;

/**
 * The attributes of an AuthorizationPolicy rule, where each lands in Envoy's RBAC (permission or principal),
 * and which targets cannot evaluate them ({@code pilot/pkg/security/authz/model/model.go}). "Extended"
 * attributes turn all their values into one matcher (Istio's {@code extendedGenerator}), the others OR one
 * matcher per value.
 */
enum Attribute {
    DESTINATION_IP("destination.ip", Side.PERMISSION, Set.of()),
    DESTINATION_PORT("destination.port", Side.PERMISSION, Set.of()),
    CONNECTION_SNI("connection.sni", Side.PERMISSION, Set.of()),
    ENVOY_FILTER("experimental.envoy.filters.", Side.PERMISSION, Set.of(RuleTarget.PROXYLESS_GRPC)),
    SOURCE_IP("source.ip", Side.PRINCIPAL, Set.of()),
    REMOTE_IP("remote.ip", Side.PRINCIPAL, Set.of()),
    SOURCE_NAMESPACE("source.namespace", Side.PRINCIPAL, Set.of()),
    SOURCE_SERVICE_ACCOUNT("source.serviceAccount", Side.PRINCIPAL, Set.of()),
    /** Mizzen's {@code Source.trustDomains}; Istio has no such field or {@code when} key. */
    SOURCE_TRUST_DOMAIN("source.trustDomain", Side.PRINCIPAL, Set.of()),
    SOURCE_PRINCIPAL("source.principal", Side.PRINCIPAL, Set.of()),
    REQUEST_PRINCIPAL("request.auth.principal", Side.PRINCIPAL, Set.of(RuleTarget.ENVOY_TCP, RuleTarget.PROXYLESS_GRPC)),
    REQUEST_AUDIENCES("request.auth.audiences", Side.PRINCIPAL, Set.of(RuleTarget.ENVOY_TCP, RuleTarget.PROXYLESS_GRPC)),
    REQUEST_PRESENTER("request.auth.presenter", Side.PRINCIPAL, Set.of(RuleTarget.ENVOY_TCP, RuleTarget.PROXYLESS_GRPC)),
    REQUEST_HEADER("request.headers", Side.PRINCIPAL, Set.of(RuleTarget.ENVOY_TCP)),
    REQUEST_CLAIMS("request.auth.claims", Side.PRINCIPAL, Set.of(RuleTarget.ENVOY_TCP, RuleTarget.PROXYLESS_GRPC)),
    HOST(":authority", Side.PERMISSION, Set.of(RuleTarget.ENVOY_TCP)),
    METHOD(":method", Side.PERMISSION, Set.of(RuleTarget.ENVOY_TCP)),
    PATH("path-matcher", Side.PERMISSION, Set.of(RuleTarget.ENVOY_TCP));

    enum Side { PERMISSION, PRINCIPAL }

    final String key;
    final Side side;
    private final Set<RuleTarget> unsupportedOn;

    Attribute(String key, Side side, Set<RuleTarget> unsupportedOn) {
        this.key = key;
        this.side = side;
        this.unsupportedOn = unsupportedOn;
    }

    boolean extended() {
        return this == ENVOY_FILTER || this == REQUEST_PRINCIPAL || this == REQUEST_AUDIENCES
                || this == REQUEST_PRESENTER || this == REQUEST_CLAIMS;
    }

    void checkSupported(RuleTarget target, String key) throws Unsupported {
        if (unsupportedOn.contains(target)) {
            throw Unsupported.onTarget("\"" + display(key) + "\" is " + (target == RuleTarget.ENVOY_TCP ? "HTTP only"
                    : "not supported by proxyless gRPC"));
        }
    }

    /** The field name users write, for warnings. */
    private String display(String key) {
        return switch (this) {
            case HOST -> "hosts";
            case METHOD -> "methods";
            case PATH -> "paths";
            default -> key;
        };
    }

    /** The attribute of a {@code when} key, as Istio's model.New switches on it; null for an unknown key. */
    static Attribute ofConditionKey(String key) {
        if (key.startsWith(ENVOY_FILTER.key)) {
            return ENVOY_FILTER;
        }
        if (key.startsWith(REQUEST_HEADER.key)) {
            return REQUEST_HEADER;
        }
        if (key.startsWith(REQUEST_CLAIMS.key)) {
            return REQUEST_CLAIMS;
        }
        for (Attribute a : values()) {
            if (a.key.equals(key) && a != HOST && a != METHOD && a != PATH && a != SOURCE_TRUST_DOMAIN) {
                return a;
            }
        }
        return null;
    }
}
