package dev.mizzen.pilot.networking.envoy.listener;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.SecurityPolicies;
import dev.mizzen.pilot.security.authn.JwtAuthnFilter;
import dev.mizzen.pilot.security.authz.AuthzOptions;
import dev.mizzen.pilot.security.authz.HttpRbacFilters;
import dev.mizzen.pilot.security.authz.NetworkRbacFilters;
import dev.mizzen.pilot.security.authz.ProxyKind;
import dev.mizzen.pilot.security.authz.Workload;
import dev.mizzen.pilot.security.authz.WorkloadPolicies;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The AuthorizationPolicy and RequestAuthentication filters of one workload's chains (sidecar inbound and
 * gateway), in the order of Istio's {@code buildHTTPConnectionManager} and {@code buildInboundNetworkFilters}:
 * <ul>
 * <li>HTTP, before the other HTTP filters: CUSTOM (RBAC shadow rules, then ext_authz), then jwt_authn, then
 * the AUDIT, DENY and ALLOW RBAC filters. Istio's CUSTOM builder runs before its authn builder, so an
 * authorizer is asked before a token is checked.</li>
 * <li>TCP, before tcp_proxy: the network CUSTOM, AUDIT, DENY and ALLOW filters.</li>
 * </ul>
 * The translators' warnings are not kept here: the push controller logs them once per push
 * ({@code PolicyCheck}), not once per proxy. Pure.
 */
public record SecurityFilters(List<HttpFilter> http, List<Filter> network) {
    public static final SecurityFilters NONE = new SecurityFilters(List.of(), List.of());

    public SecurityFilters {
        http = List.copyOf(http);
        network = List.copyOf(network);
    }

    public static SecurityFilters of(Proxy proxy, PushContext push, ProxyKind kind) {
        SecurityPolicies security = push.security();
        Workload workload = SecurityPolicies.workload(proxy);
        WorkloadPolicies policies = security.authorizationPolicies(workload);
        AuthzOptions options = security.options(kind);
        List<HttpFilter> http = new ArrayList<>(HttpRbacFilters.build(new WorkloadPolicies(policies.custom(),
                List.of(), List.of(), List.of()), options).filters());
        JwtAuthnFilter.build(security.requestAuthentications(workload), security.jwks()).ifPresent(http::add);
        http.addAll(HttpRbacFilters.build(new WorkloadPolicies(List.of(), policies.deny(), policies.allow(),
                policies.audit()), options).filters());
        return new SecurityFilters(http, NetworkRbacFilters.build(policies, options).filters());
    }

    /** True when no policy applies: chains are then exactly what they are without policies. */
    public boolean isEmpty() {
        return http.isEmpty() && network.isEmpty();
    }

    /** The network filters of a TCP chain: these, then the terminal filter (tcp_proxy). */
    public List<Filter> beforeTcp(Filter terminal) {
        List<Filter> out = new ArrayList<>(network);
        out.add(terminal);
        return out;
    }
}
