package dev.mizzen.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mizzen.api.IstioYaml;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.SpecReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The security kinds, read from examples in the style of Istio's documentation. */
class SecuritySpecTest {

    @Test
    void peerAuthenticationWithPortLevelOverrides() {
        PeerAuthentication pa = SpecReader.read(ConfigKind.PEER_AUTHENTICATION, IstioYaml.tree("""
                selector:
                  matchLabels:
                    app: finance
                mtls:
                  mode: STRICT
                portLevelMtls:
                  8080:
                    mode: DISABLE
                  "9090":
                    mode: PERMISSIVE
                """));

        assertThat(pa.selector().matchLabels()).containsExactly(Map.entry("app", "finance"));
        assertThat(pa.mtls()).isEqualTo(new Mtls("STRICT"));
        assertThat(pa.portLevelMtls()).containsExactly(
                Map.entry("8080", new Mtls("DISABLE")),
                Map.entry("9090", new Mtls("PERMISSIVE")));
    }

    @Test
    void namespaceWidePeerAuthenticationHasNoSelector() {
        PeerAuthentication pa = SpecReader.read(ConfigKind.PEER_AUTHENTICATION, IstioYaml.tree("mtls: {mode: STRICT}"));

        assertThat(pa.selector()).isNull();
        assertThat(pa.portLevelMtls()).isEmpty();
    }

    @Test
    void authorizationPolicyRules() {
        AuthorizationPolicy ap = SpecReader.read(ConfigKind.AUTHORIZATION_POLICY, IstioYaml.tree("""
                selector:
                  matchLabels: {app: httpbin, version: v1}
                action: ALLOW
                rules:
                - from:
                  - source:
                      principals: ["cluster.local/ns/default/sa/sleep"]
                  - source:
                      namespaces: ["test"]
                      notIpBlocks: ["10.0.0.0/8"]
                  to:
                  - operation:
                      methods: ["GET"]
                      paths: ["/info*"]
                      ports: [8080, "9090"]
                  when:
                  - key: request.auth.claims[iss]
                    values: ["https://accounts.google.com"]
                """));

        assertThat(ap.action()).isEqualTo("ALLOW");
        assertThat(ap.provider()).isNull();
        assertThat(ap.targetRefs()).isEmpty();
        Rule rule = ap.rules().get(0);
        assertThat(rule.from()).extracting(f -> f.source().principals(), f -> f.source().namespaces())
                .containsExactly(
                        tuple(List.of("cluster.local/ns/default/sa/sleep"), List.of()),
                        tuple(List.of(), List.of("test")));
        assertThat(rule.from().get(1).source().notIpBlocks()).containsExactly("10.0.0.0/8");
        Operation operation = rule.to().get(0).operation();
        assertThat(operation.methods()).containsExactly("GET");
        assertThat(operation.ports()).as("ports are strings in the CRD").containsExactly("8080", "9090");
        assertThat(operation.notPaths()).isEmpty();
        assertThat(rule.when()).containsExactly(new Condition("request.auth.claims[iss]",
                List.of("https://accounts.google.com"), null));
    }

    @Test
    void customAuthorizationPolicyOnAGatewayTarget() {
        AuthorizationPolicy ap = SpecReader.read(ConfigKind.AUTHORIZATION_POLICY, IstioYaml.tree("""
                targetRefs:
                - kind: Gateway
                  group: gateway.networking.k8s.io
                  name: waypoint
                action: CUSTOM
                provider:
                  name: my-ext-authz
                rules:
                - to:
                  - operation: {paths: ["/admin/*"]}
                """));

        assertThat(ap.selector()).isNull();
        assertThat(ap.targetRefs()).containsExactly(
                new PolicyTargetReference("gateway.networking.k8s.io", "Gateway", "waypoint", null));
        assertThat(ap.provider()).isEqualTo(new ExtensionProvider("my-ext-authz"));
        assertThat(ap.rules().get(0).from()).isEmpty();
    }

    @Test
    void emptyRulesAreKeptApartFromNoRules() {
        AuthorizationPolicy denyAll = SpecReader.read(ConfigKind.AUTHORIZATION_POLICY, IstioYaml.tree("{}"));
        AuthorizationPolicy allowAll = SpecReader.read(ConfigKind.AUTHORIZATION_POLICY, IstioYaml.tree("rules: [{}]"));

        assertThat(denyAll.rules()).isEmpty();
        assertThat(allowAll.rules()).containsExactly(new Rule(null, null, null));
    }

    @Test
    void requestAuthenticationJwtRules() {
        RequestAuthentication ra = SpecReader.read(ConfigKind.REQUEST_AUTHENTICATION, IstioYaml.tree("""
                selector:
                  matchLabels: {app: httpbin}
                jwtRules:
                - issuer: "issuer-foo"
                  jwksUri: https://example.com/.well-known/jwks.json
                  audiences: [bookstore_android.apps.example.com]
                  fromHeaders:
                  - name: x-jwt-assertion
                    prefix: "Bearer "
                  fromParams: [my_token]
                  fromCookies: [session]
                  outputPayloadToHeader: x-jwt-payload
                  forwardOriginalToken: true
                  outputClaimToHeaders:
                  - header: x-sub
                    claim: sub
                  timeout: 5s
                """));

        JwtRule rule = ra.jwtRules().get(0);
        assertThat(rule.issuer()).isEqualTo("issuer-foo");
        assertThat(rule.jwksUri()).isEqualTo("https://example.com/.well-known/jwks.json");
        assertThat(rule.jwks()).isNull();
        assertThat(rule.audiences()).containsExactly("bookstore_android.apps.example.com");
        assertThat(rule.fromHeaders()).containsExactly(new JwtHeader("x-jwt-assertion", "Bearer "));
        assertThat(rule.fromParams()).containsExactly("my_token");
        assertThat(rule.fromCookies()).containsExactly("session");
        assertThat(rule.forwardOriginalToken()).isTrue();
        assertThat(rule.outputClaimToHeaders()).containsExactly(new ClaimToHeader("x-sub", "sub"));
        assertThat(rule.timeout()).isEqualTo("5s");
        assertThat(rule.spaceDelimitedClaims()).isEmpty();
    }
}
