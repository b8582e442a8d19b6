package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs the security filters of an Envoy chain on a request, in order, as Envoy would: jwt_authn (401 on a
 * bad token), RBAC (enforced rules decide, shadow rules only write {@code <prefix>shadow_effective_policy_id}
 * and {@code <prefix>shadow_engine_result} to the filter's metadata), ext_authz (only when its
 * {@code filter_enabled_metadata} matches; the authorizer is a predicate the test gives). The HTTP filters
 * may be followed by others (router...), which are ignored. Stateless.
 *
 * <pre>
 * SecurityDecision d = SecurityFilterChain.http(filters, request, authorizer);
 * assertThat(d.status()).isEqualTo(403);
 * </pre>
 */
public final class SecurityFilterChain {
    /** An authorizer that allows nothing: a CUSTOM check that ran is visible as a 403 by ext_authz. */
    public static final Predicate<SecurityRequest> DENYING_AUTHORIZER = r -> false;

    private SecurityFilterChain() {
    }

    public static SecurityDecision http(List<HttpFilter> filters, SecurityRequest request, Predicate<SecurityRequest> authorizer) {
        Map<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        for (HttpFilter f : filters) {
            Any config = f.getTypedConfig();
            if (config.is(JwtAuthentication.class)) {
                JwtAuthnEngine.Outcome o = JwtAuthnEngine.run(TypedConfigs.unpack(config, JwtAuthentication.class)
                        .orElseThrow(), request);
                metadata.put(f.getName(), new HashMap<>(o.metadata()));
                if (!o.passed()) {
                    return new SecurityDecision(401, f.getName(), o.reason(), metadata);
                }
            } else if (config.is(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class)) {
                var rbac = TypedConfigs.unpack(config, io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class).orElseThrow();
                Optional<SecurityDecision> denied = rbac(f.getName(), rbac.hasRules() ? rbac.getRules() : null,
                        rbac.hasShadowRules() ? rbac.getShadowRules() : null, rbac.getShadowRulesStatPrefix(), request, metadata);
                if (denied.isPresent()) {
                    return denied.get();
                }
            } else if (config.is(ExtAuthz.class)) {
                ExtAuthz ext = TypedConfigs.unpack(config, ExtAuthz.class).orElseThrow();
                if ((!ext.hasFilterEnabledMetadata() || RbacEngine.metadata(ext.getFilterEnabledMetadata(), metadata))
                        && !authorizer.test(request)) {
                    return new SecurityDecision(403, f.getName(), "denied by the authorizer", metadata);
                }
            }
        }
        return new SecurityDecision(200, "", "allowed", metadata);
    }

    public static SecurityDecision tcp(List<Filter> filters, SecurityRequest request, Predicate<SecurityRequest> authorizer) {
        Map<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        for (Filter f : filters) {
            Any config = f.getTypedConfig();
            if (config.is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
                var rbac = TypedConfigs.unpack(config, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)
                        .orElseThrow();
                Optional<SecurityDecision> denied = rbac(f.getName(), rbac.hasRules() ? rbac.getRules() : null,
                        rbac.hasShadowRules() ? rbac.getShadowRules() : null, rbac.getShadowRulesStatPrefix(), request, metadata);
                if (denied.isPresent()) {
                    return denied.get();
                }
            } else if (config.is(io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.class)) {
                var ext = TypedConfigs.unpack(config, io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.class)
                        .orElseThrow();
                if ((!ext.hasFilterEnabledMetadata() || RbacEngine.metadata(ext.getFilterEnabledMetadata(), metadata))
                        && !authorizer.test(request)) {
                    return new SecurityDecision(403, f.getName(), "connection closed by the authorizer", metadata);
                }
            }
        }
        return new SecurityDecision(200, "", "allowed", metadata);
    }

    private static Optional<SecurityDecision> rbac(String name, RBAC rules, RBAC shadow, String shadowPrefix,
                                                   SecurityRequest request, Map<String, Map<String, Object>> metadata) {
        Map<String, Object> md = metadata.computeIfAbsent(name, n -> new HashMap<>());
        if (shadow != null) {
            Optional<String> matched = RbacEngine.matchedPolicy(shadow, request, metadata);
            matched.ifPresent(id -> md.put(shadowPrefix + "shadow_effective_policy_id", id));
            md.put(shadowPrefix + "shadow_engine_result",
                    RbacEngine.allows(shadow, request, metadata) ? "allowed" : "denied");
        }
        if (rules != null && !RbacEngine.allows(rules, request, metadata)) {
            return Optional.of(new SecurityDecision(403, name, "RBAC: access denied ("
                    + rules.getAction() + RbacEngine.matchedPolicy(rules, request, metadata).map(p -> " " + p).orElse("")
                    + ")", metadata));
        }
        return Optional.empty();
    }
}
