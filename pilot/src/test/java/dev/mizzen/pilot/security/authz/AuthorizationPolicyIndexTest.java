package dev.mizzen.pilot.security.authz;

import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.security.SecurityFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which policies apply to a workload, in Istio's order ({@code pilot/pkg/model/authorization.go}). */
class AuthorizationPolicyIndexTest {
    static final String POLICIES = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ns-wide, namespace: foo}
            spec: {action: DENY, rules: [{}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: mesh-wide, namespace: istio-system}
            spec: {action: DENY, rules: [{}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: httpbin-only, namespace: foo}
            spec: {selector: {matchLabels: {app: httpbin}}, rules: [{}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: other-app, namespace: foo}
            spec: {selector: {matchLabels: {app: other}}, rules: [{}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: other-namespace, namespace: bar}
            spec: {rules: [{}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: targets-gateway, namespace: foo}
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: my-gateway}]
              action: AUDIT
              rules: [{}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: custom, namespace: foo}
            spec: {action: CUSTOM, provider: {name: p}, rules: [{}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: unknown-action, namespace: foo}
            spec: {action: BOGUS, rules: [{}]}
            """;

    static AuthorizationPolicyIndex index() {
        return AuthorizationPolicyIndex.build(SecurityFixtures.authorizationPolicies(SecurityFixtures.parseYaml(POLICIES)),
                "istio-system");
    }

    static List<String> names(List<Config<dev.mizzen.api.security.AuthorizationPolicy>> policies) {
        return policies.stream().map(Config::name).toList();
    }

    @Test
    void rootNamespaceFirstThenTheWorkloadsByCreationTime() {
        WorkloadPolicies p = index().forWorkload(Workload.of("foo", Map.of("app", "httpbin")));
        assertThat(names(p.deny())).containsExactly("mesh-wide", "ns-wide");
        assertThat(names(p.allow())).containsExactly("httpbin-only");
        assertThat(names(p.custom())).containsExactly("custom");
        assertThat(p.audit()).as("targetRefs never select a sidecar").isEmpty();
    }

    @Test
    void aGatewayIsSelectedByTargetRefOnly() {
        WorkloadPolicies p = index().forWorkload(Workload.of("foo",
                Map.of("app", "httpbin", "gateway.networking.k8s.io/gateway-name", "my-gateway")));
        assertThat(names(p.audit())).containsExactly("targets-gateway");
        assertThat(p.deny()).isEmpty();
        assertThat(p.allow()).isEmpty();
    }

    @Test
    void otherNamespacesOnlyGetTheRootNamespace() {
        WorkloadPolicies p = index().forWorkload(Workload.of("baz", Map.of("app", "httpbin")));
        assertThat(names(p.deny())).containsExactly("mesh-wide");
        assertThat(p.allow()).isEmpty();
    }
}
