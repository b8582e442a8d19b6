package dev.mizzen.pilot.security.authz;

import com.google.protobuf.Any;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.AuthorizationPolicy;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;

import java.util.ArrayList;
import java.util.List;

/**
 * The authorization network filters of one workload's TCP chains (before tcp_proxy), in Envoy's order:
 * CUSTOM with a gRPC provider ({@code envoy.filters.network.rbac} shadow rules, then
 * {@code envoy.filters.network.ext_authz}; an HTTP provider cannot check TCP and is skipped, as in Istio),
 * then AUDIT, DENY and ALLOW as one {@code envoy.filters.network.rbac} each with stat prefix {@code tcp.}
 * (Istio's {@code BuildTCP}). HTTP-only conditions drop ALLOW rules and narrow DENY rules to their TCP
 * conditions, with a warning per policy. Pure.
 */
public final class NetworkRbacFilters {
    public static final String RBAC_FILTER = "envoy.filters.network.rbac";
    public static final String EXT_AUTHZ_FILTER = "envoy.filters.network.ext_authz";
    static final String STAT_PREFIX = "tcp.";

    private NetworkRbacFilters() {
    }

    public static AuthzFilters<Filter> build(WorkloadPolicies policies, AuthzOptions options) {
        if (options.proxyKind() == ProxyKind.PROXYLESS_GRPC_SERVER) {
            throw new IllegalArgumentException("proxyless gRPC servers have no TCP chains");
        }
        List<String> warnings = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        custom(policies.custom(), options, filters, warnings);
        local(policies.audit(), AuthzAction.AUDIT, RBAC.Action.LOG, options, filters, warnings);
        local(policies.deny(), AuthzAction.DENY, RBAC.Action.DENY, options, filters, warnings);
        local(policies.allow(), AuthzAction.ALLOW, RBAC.Action.ALLOW, options, filters, warnings);
        return new AuthzFilters<>(filters, warnings);
    }

    private static void local(List<Config<AuthorizationPolicy>> policies, AuthzAction action, RBAC.Action rbacAction,
                              AuthzOptions options, List<Filter> out, List<String> warnings) {
        if (policies.isEmpty()) {
            return;
        }
        RbacRules rules = RbacRules.build(policies, action, rbacAction, RuleTarget.ENVOY_TCP, options.trustDomains(),
                RbacRules.Naming.ISTIO, warnings);
        io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.Builder rbac =
                io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setStatPrefix(STAT_PREFIX);
        if (rules.rules() != null) {
            rbac.setRules(rules.rules());
        }
        if (rules.shadow() != null) {
            rbac.setShadowRules(rules.shadow()).setShadowRulesStatPrefix(RbacRules.shadowStatPrefix(rbacAction));
        }
        out.add(filter(RBAC_FILTER, Any.pack(rbac.build())));
    }

    private static void custom(List<Config<AuthorizationPolicy>> policies, AuthzOptions options, List<Filter> out,
                               List<String> warnings) {
        if (policies.isEmpty()) {
            return;
        }
        HttpRbacFilters.CustomPolicies custom = HttpRbacFilters.CustomPolicies.of(policies, options,
                RuleTarget.ENVOY_TCP, warnings);
        if (custom.rules().rules() == null) {
            return;
        }
        if (custom.provider() == null) {
            out.add(filter(RBAC_FILTER, Any.pack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                    .setStatPrefix(STAT_PREFIX).setRules(custom.badCustomDenyRules()).build())));
            return;
        }
        if (custom.provider().kind() != ExtAuthzProvider.Kind.GRPC) {
            // Istio: "ignored CUSTOM action with HTTP provider on TCP filter chain"
            return;
        }
        out.add(filter(RBAC_FILTER, Any.pack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                .setStatPrefix(STAT_PREFIX).setShadowRules(custom.rules().rules())
                .setShadowRulesStatPrefix(RbacRules.EXT_AUTHZ_SHADOW_PREFIX).build())));
        out.add(filter(EXT_AUTHZ_FILTER, Any.pack(ExtAuthzConfigs.tcp(custom.provider()))));
    }

    private static Filter filter(String name, Any config) {
        return Filter.newBuilder().setName(name).setTypedConfig(config).build();
    }
}
