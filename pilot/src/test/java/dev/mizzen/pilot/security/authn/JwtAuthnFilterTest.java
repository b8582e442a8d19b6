package dev.mizzen.pilot.security.authn;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.RequestAuthentication;
import dev.mizzen.pilot.security.SecurityFixtures;
import dev.mizzen.pilot.security.SecurityFixtures.Issuer;
import dev.mizzen.pilot.testing.simulation.SecurityFilterChain;
import dev.mizzen.pilot.testing.simulation.SecurityRequest;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The jwt_authn filter's shape as Istio's convertToEnvoyJwtConfig makes it, and what it does with tokens. */
class JwtAuthnFilterTest {
    static final String TWO_ISSUERS = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: b, namespace: foo}
            spec:
              jwtRules:
              - issuer: "issuer-b"
                jwksUri: "https://b.example.com/jwks.json"
                fromHeaders: [{name: x-jwt, prefix: "Token "}]
                outputPayloadToHeader: x-payload
                timeout: 3s
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: a, namespace: foo}
            spec:
              jwtRules:
              - issuer: "issuer-a"
                jwks: '{"keys":[]}'
                spaceDelimitedClaims: [roles]
            """;

    static List<Config<RequestAuthentication>> parse(String yaml) {
        return SecurityFixtures.requestAuthentications(SecurityFixtures.parseYaml(yaml));
    }

    static JwtAuthentication config(HttpFilter f) throws Exception {
        return f.getTypedConfig().unpack(JwtAuthentication.class);
    }

    @Test
    void providersAreSortedByIssuerAndNamedOrigins() throws Exception {
        HttpFilter f = JwtAuthnFilter.build(parse(TWO_ISSUERS), (issuer, uri) -> "{\"keys\":[\"" + uri + "\"]}").orElseThrow();
        assertThat(f.getName()).isEqualTo("envoy.filters.http.jwt_authn");
        JwtAuthentication c = config(f);
        assertThat(c.getProvidersMap()).containsOnlyKeys("origins-0", "origins-1");
        assertThat(c.getProvidersOrThrow("origins-0").getIssuer()).isEqualTo("issuer-a");
        assertThat(c.getProvidersOrThrow("origins-0").getLocalJwks().getInlineString()).as("inline jwks wins")
                .isEqualTo("{\"keys\":[]}");
        assertThat(c.getProvidersOrThrow("origins-0").getNormalizePayloadInMetadata().getSpaceDelimitedClaimsList())
                .containsExactly("permission", "roles", "scope");
        assertThat(c.getProvidersOrThrow("origins-1").getLocalJwks().getInlineString())
                .contains("https://b.example.com/jwks.json");
        assertThat(c.getProvidersOrThrow("origins-1").getFromHeaders(0).getValuePrefix()).isEqualTo("Token ");
        assertThat(c.getProvidersOrThrow("origins-1").getForwardPayloadHeader()).isEqualTo("x-payload");
        assertThat(c.getProvidersOrThrow("origins-1").getPayloadInMetadata()).isEqualTo("payload");
        assertThat(c.getBypassCorsPreflight()).isTrue();
        JwtRequirement requires = c.getRules(0).getRequires();
        assertThat(requires.getRequiresAny().getRequirementsList()).extracting(JwtRequirement::getRequiresTypeCase)
                .containsExactly(JwtRequirement.RequiresTypeCase.PROVIDER_NAME, JwtRequirement.RequiresTypeCase.PROVIDER_NAME,
                        JwtRequirement.RequiresTypeCase.REQUIRES_ALL);
    }

    @Test
    void noRulesNoFilter() {
        assertThat(JwtAuthnFilter.build(List.of(), (i, u) -> "")).isEmpty();
    }

    @Test
    void theRejectAllKeySetRejectsEveryTokenButNotAMissingOne() {
        Issuer issuer = Issuer.generate("issuer-a", FakeJwks.KEY_ID);
        HttpFilter f = JwtAuthnFilter.build(parse("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: a, namespace: foo}
                spec:
                  jwtRules:
                  - issuer: "issuer-a"
                    jwksUri: "https://a.example.com/jwks.json"
                """), (i, u) -> FakeJwks.JSON).orElseThrow();
        assertThat(SecurityFilterChain.http(List.of(f), SecurityRequest.http("GET", "/").withBearer(issuer.token(Map.of())),
                r -> true).status()).isEqualTo(401);
        assertThat(SecurityFilterChain.http(List.of(f), SecurityRequest.http("GET", "/"), r -> true).status()).isEqualTo(200);
    }

    @Test
    void presenceRequiredRejectsAMissingToken() {
        HttpFilter f = JwtAuthnFilter.build(parse("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: a, namespace: foo}
                spec:
                  jwtRules:
                  - issuer: "issuer-a"
                    jwks: '{"keys":[]}'
                    presence: REQUIRED
                """), (i, u) -> FakeJwks.JSON).orElseThrow();
        assertThat(SecurityFilterChain.http(List.of(f), SecurityRequest.http("GET", "/"), r -> true).status()).isEqualTo(401);
    }
}
