package dev.mizzen.pilot.security.authn;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.ClaimToHeader;
import dev.mizzen.api.security.JwtHeader;
import dev.mizzen.api.security.JwtRule;
import dev.mizzen.api.security.RequestAuthentication;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementAndList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code envoy.filters.http.jwt_authn} filter of a workload's RequestAuthentications, as Istio's
 * {@code convertToEnvoyJwtConfig} ({@code pilot/pkg/security/authn/policy_applier.go}) builds it:
 * <ul>
 * <li>The JWT rules of all policies, sorted by issuer; one provider each, named {@code origins-<i>}.</li>
 * <li>A token, if present, must be valid; without one the request passes (AuthorizationPolicy's
 * {@code requestPrincipals} is how a token is required): one provider is {@code requires_any(provider,
 * allow_missing)}; several are {@code requires_any(P1, .., Pn, requires_all(any(P1, allow_missing), ..))} so that
 * providers sharing a token location still work.</li>
 * <li>The payload goes to dynamic metadata under {@code payload}, where the RBAC filter reads
 * {@code iss}, {@code sub}, {@code aud}, {@code azp} and claims; {@code scope} and {@code permission} (and
 * {@code spaceDelimitedClaims}) are split into lists.</li>
 * <li>Keys are inlined ({@code local_jwks}) from {@link JwksSource}, istiod's default fetch mode.</li>
 * </ul>
 * Current Istio no longer adds its own {@code istio_authn} HTTP filter for sidecars, so neither do we.
 * Pure.
 */
public final class JwtAuthnFilter {
    public static final String NAME = "envoy.filters.http.jwt_authn";
    public static final String PAYLOAD_METADATA_KEY = "payload";
    private static final List<String> DEFAULT_SPACE_DELIMITED = List.of("permission", "scope");
    private static final String REQUIRED = "REQUIRED";

    private JwtAuthnFilter() {
    }

    /** Empty when no JWT rule applies: the chain then has no jwt_authn filter. */
    public static Optional<HttpFilter> build(List<Config<RequestAuthentication>> policies, JwksSource keys) {
        List<JwtRule> rules = new ArrayList<>();
        policies.forEach(p -> rules.addAll(p.spec().jwtRules()));
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        rules.sort(Comparator.comparing(r -> r.issuer() == null ? "" : r.issuer()));
        JwtAuthentication.Builder config = JwtAuthentication.newBuilder().setBypassCorsPreflight(true);
        List<JwtRequirement> innerAnd = new ArrayList<>();
        List<JwtRequirement> outerOr = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            JwtRule rule = rules.get(i);
            String name = "origins-" + i;
            config.putProviders(name, provider(rule, keys));
            JwtRequirement byName = JwtRequirement.newBuilder().setProviderName(name).build();
            if (REQUIRED.equals(rule.presence() == null ? "" : rule.presence().toUpperCase(Locale.ROOT))) {
                innerAnd.add(byName);
            } else {
                innerAnd.add(JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
                        .addRequirements(byName)
                        .addRequirements(JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance()))).build());
            }
            outerOr.add(byName);
        }
        JwtRequirement requires;
        if (innerAnd.size() == 1) {
            requires = innerAnd.get(0);
        } else {
            outerOr.add(JwtRequirement.newBuilder().setRequiresAll(JwtRequirementAndList.newBuilder()
                    .addAllRequirements(innerAnd)).build());
            requires = JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
                    .addAllRequirements(outerOr)).build();
        }
        config.addRules(RequirementRule.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")).setRequires(requires));
        return Optional.of(HttpFilter.newBuilder().setName(NAME).setTypedConfig(Any.pack(config.build())).build());
    }

    private static JwtProvider provider(JwtRule rule, JwksSource keys) {
        String issuer = rule.issuer() == null ? "" : rule.issuer();
        JwtProvider.Builder p = JwtProvider.newBuilder()
                .setIssuer(issuer)
                .addAllAudiences(rule.audiences())
                .setForward(Boolean.TRUE.equals(rule.forwardOriginalToken()))
                .setForwardPayloadHeader(rule.outputPayloadToHeader() == null ? "" : rule.outputPayloadToHeader())
                .setPayloadInMetadata(PAYLOAD_METADATA_KEY)
                .setNormalizePayloadInMetadata(JwtProvider.NormalizePayload.newBuilder()
                        .addAllSpaceDelimitedClaims(spaceDelimited(rule.spaceDelimitedClaims())));
        for (ClaimToHeader c : rule.outputClaimToHeaders()) {
            p.addClaimToHeaders(JwtClaimToHeader.newBuilder().setHeaderName(c.header()).setClaimName(c.claim()));
        }
        for (JwtHeader h : rule.fromHeaders()) {
            p.addFromHeaders(io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader.newBuilder()
                    .setName(h.name()).setValuePrefix(h.prefix() == null ? "" : h.prefix()));
        }
        p.addAllFromParams(rule.fromParams());
        p.addAllFromCookies(rule.fromCookies());
        String jwks = rule.jwks() != null && !rule.jwks().isEmpty() ? rule.jwks()
                : keys.jwks(issuer, rule.jwksUri() == null ? "" : rule.jwksUri());
        p.setLocalJwks(DataSource.newBuilder().setInlineString(jwks));
        return p.build();
    }

    /** Istio's buildSpaceDelimitedClaims: the defaults plus the rule's, sorted, without duplicates. */
    static List<String> spaceDelimited(List<String> extra) {
        TreeSet<String> all = new TreeSet<>(DEFAULT_SPACE_DELIMITED);
        all.addAll(extra);
        return List.copyOf(all);
    }
}
