package dev.mizzen.pilot.security.authz;

import com.google.protobuf.Any;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.AuthorizationPolicy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The authorization HTTP filters of one workload's HTTP chains (sidecar inbound, gateway, proxyless gRPC
 * server), in the order Envoy must run them: CUSTOM ({@code envoy.filters.http.rbac} with the CUSTOM rules as
 * shadow rules, then {@code envoy.filters.http.ext_authz}), then AUDIT, DENY and ALLOW as one
 * {@code envoy.filters.http.rbac} each (Istio's {@code BuildHTTP}). Istio's HTTP connection manager runs its
 * CUSTOM builder before the jwt_authn filter ({@code JwtAuthnFilter}) and the others after it, all before the
 * router: {@code SecurityFilters} builds the CUSTOM and the local filters apart to put them there. No policy: no
 * filter, everything is allowed. Pure.
 *
 * <pre>
 * AuthzFilters&lt;HttpFilter&gt; f = HttpRbacFilters.build(index.forWorkload(workload), options);
 * </pre>
 */
public final class HttpRbacFilters {
    public static final String RBAC_FILTER = "envoy.filters.http.rbac";
    public static final String EXT_AUTHZ_FILTER = "envoy.filters.http.ext_authz";
    /**
     * The DENY filter of a proxyless gRPC server, named as Istio's gRPC generator names it: grpc-java rejects an
     * HTTP connection manager whose filters share a name.
     */
    public static final String PROXYLESS_DENY_FILTER = RBAC_FILTER + ".DENY";

    private HttpRbacFilters() {
    }

    public static AuthzFilters<HttpFilter> build(WorkloadPolicies policies, AuthzOptions options) {
        List<String> warnings = new ArrayList<>();
        List<HttpFilter> filters = new ArrayList<>();
        if (options.proxyKind() == ProxyKind.PROXYLESS_GRPC_SERVER) {
            proxyless(policies, options, filters, warnings);
            return new AuthzFilters<>(filters, warnings);
        }
        custom(policies.custom(), options, filters, warnings);
        local(policies.audit(), AuthzAction.AUDIT, RBAC.Action.LOG, options, filters, warnings);
        local(policies.deny(), AuthzAction.DENY, RBAC.Action.DENY, options, filters, warnings);
        local(policies.allow(), AuthzAction.ALLOW, RBAC.Action.ALLOW, options, filters, warnings);
        return new AuthzFilters<>(filters, warnings);
    }

    private static void local(List<Config<AuthorizationPolicy>> policies, AuthzAction action, RBAC.Action rbacAction,
                              AuthzOptions options, List<HttpFilter> out, List<String> warnings) {
        if (policies.isEmpty()) {
            return;
        }
        RbacRules rules = RbacRules.build(policies, action, rbacAction, RuleTarget.ENVOY_HTTP, options.trustDomains(),
                RbacRules.Naming.ISTIO, warnings);
        io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.Builder rbac =
                io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder();
        if (rules.rules() != null) {
            rbac.setRules(rules.rules());
        }
        if (rules.shadow() != null) {
            rbac.setShadowRules(rules.shadow()).setShadowRulesStatPrefix(RbacRules.shadowStatPrefix(rbacAction));
        }
        out.add(filter(RBAC_FILTER, Any.pack(rbac.build())));
    }

    /**
     * CUSTOM: one provider per workload. A provider that is missing, invalid, or one of several turns the
     * CUSTOM rules into DENY rules (Istio's "bad CUSTOM action": fail closed). Dry-run CUSTOM policies do not
     * call the authorizer.
     */
    private static void custom(List<Config<AuthorizationPolicy>> policies, AuthzOptions options, List<HttpFilter> out,
                               List<String> warnings) {
        if (policies.isEmpty()) {
            return;
        }
        CustomPolicies custom = CustomPolicies.of(policies, options, RuleTarget.ENVOY_HTTP, warnings);
        if (custom.rules().rules() == null) {
            return;
        }
        if (custom.provider() == null) {
            out.add(filter(RBAC_FILTER, Any.pack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                    .setRules(custom.badCustomDenyRules()).build())));
            return;
        }
        out.add(filter(RBAC_FILTER, Any.pack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                .setShadowRules(custom.rules().rules())
                .setShadowRulesStatPrefix(RbacRules.EXT_AUTHZ_SHADOW_PREFIX).build())));
        out.add(filter(EXT_AUTHZ_FILTER, Any.pack(ExtAuthzConfigs.http(custom.provider()))));
    }

    /**
     * grpc-java's RBAC filter: DENY then ALLOW, enforced rules only, filter and policy names as Istio's gRPC
     * generator writes them ({@value #PROXYLESS_DENY_FILTER}, then {@value #RBAC_FILTER}). Dry-run and AUDIT policies are left out (nothing there would log them); CUSTOM rules, which
     * grpc-java cannot send to an authorizer, deny what they match.
     */
    private static void proxyless(WorkloadPolicies policies, AuthzOptions options, List<HttpFilter> out,
                                  List<String> warnings) {
        List<Config<AuthorizationPolicy>> deny = new ArrayList<>();
        if (!policies.custom().isEmpty()) {
            warnings.add("CUSTOM policies " + policies.custom().stream().map(Config::key).toList()
                    + " cannot be enforced by proxyless gRPC: the requests they match are denied");
            deny.addAll(policies.custom().stream().map(c -> new Config<>(c.key(), c.meta(),
                    new AuthorizationPolicy(c.spec().selector(), c.spec().targetRef(), c.spec().targetRefs(),
                            c.spec().rules(), "DENY", null))).toList());
        }
        deny.addAll(policies.deny());
        for (AuthzAction action : List.of(AuthzAction.DENY, AuthzAction.ALLOW)) {
            List<Config<AuthorizationPolicy>> enforced = (action == AuthzAction.DENY ? deny : policies.allow()).stream()
                    .filter(p -> !RbacRules.isDryRun(p, warnings)).toList();
            if (enforced.isEmpty()) {
                continue;
            }
            RBAC.Action rbacAction = action == AuthzAction.DENY ? RBAC.Action.DENY : RBAC.Action.ALLOW;
            RbacRules rules = RbacRules.build(enforced, action, rbacAction, RuleTarget.PROXYLESS_GRPC,
                    options.trustDomains(), RbacRules.Naming.PROXYLESS, warnings);
            out.add(filter(action == AuthzAction.DENY ? PROXYLESS_DENY_FILTER : RBAC_FILTER,
                    Any.pack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                            .setRules(rules.rules()).build())));
        }
    }

    static HttpFilter filter(String name, Any config) {
        return HttpFilter.newBuilder().setName(name).setTypedConfig(config).build();
    }

    /** The CUSTOM policies of a workload: their rules, the one provider, or why there is none. */
    record CustomPolicies(RbacRules rules, ExtAuthzProvider provider) {
        static CustomPolicies of(List<Config<AuthorizationPolicy>> policies, AuthzOptions options, RuleTarget target,
                                 List<String> warnings) {
            List<Config<AuthorizationPolicy>> enforced = new ArrayList<>();
            for (Config<AuthorizationPolicy> p : policies) {
                if (RbacRules.isDryRun(p, warnings)) {
                    warnings.add(p.key() + ": dry-run CUSTOM policy: the authorizer is not called for it");
                } else {
                    enforced.add(p);
                }
            }
            RbacRules rules = RbacRules.build(enforced, AuthzAction.CUSTOM, RBAC.Action.DENY, target,
                    options.trustDomains(), RbacRules.Naming.EXT_AUTHZ, warnings);
            List<String> names = enforced.stream().map(p -> p.spec().provider() == null ? "" : p.spec().provider().name())
                    .distinct().toList();
            if (names.size() > 1) {
                warnings.add("CUSTOM policies name several providers " + names
                        + ", only one per workload is supported: their requests are denied");
                return new CustomPolicies(rules, null);
            }
            if (names.isEmpty()) {
                return new CustomPolicies(rules, null);
            }
            ExtAuthzProvider provider = options.provider(names.get(0)).orElse(null);
            if (provider == null) {
                warnings.add("extension provider " + names.get(0) + " not found, available providers are "
                        + options.extensionProviders().stream().map(ExtAuthzProvider::name).toList()
                        + ": the requests of its CUSTOM policies are denied");
                return new CustomPolicies(rules, null);
            }
            if (!provider.problems().isEmpty()) {
                warnings.add("extension provider " + provider.name() + " is invalid " + provider.problems()
                        + ": the requests of its CUSTOM policies are denied");
                return new CustomPolicies(rules, null);
            }
            return new CustomPolicies(rules, provider);
        }

        /** Istio's getBadCustomDenyRules: the CUSTOM rules as DENY rules, names suffixed. */
        RBAC badCustomDenyRules() {
            Map<String, io.envoyproxy.envoy.config.rbac.v3.Policy> renamed = new TreeMap<>();
            rules.rules().getPoliciesMap().forEach((k, v) -> renamed.put(k + RbacRules.BAD_CUSTOM_SUFFIX, v));
            return RBAC.newBuilder().setAction(RBAC.Action.DENY).putAllPolicies(renamed).build();
        }
    }
}
