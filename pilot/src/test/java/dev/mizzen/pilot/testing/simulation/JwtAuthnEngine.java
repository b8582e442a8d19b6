package dev.mizzen.pilot.testing.simulation;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;

import java.security.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Envoy's jwt_authn filter over one request: for each provider the token is looked up where the provider
 * says (default: {@code Authorization: Bearer} and the {@code access_token} parameter), its signature checked
 * against the inlined JWKS with nimbus, its issuer, audiences and expiry checked; the requirement tree
 * (provider, allow_missing, requires_any, requires_all) decides; a verified payload goes to the filter's
 * dynamic metadata under {@code payload_in_metadata}, space-delimited claims split into lists. Stateless.
 */
public final class JwtAuthnEngine {
    /** What the filter did: passed (with the payloads it wrote) or rejected with 401. */
    public record Outcome(boolean passed, String reason, Map<String, Object> metadata) {
    }

    private enum Check { OK, MISSING, INVALID }

    private JwtAuthnEngine() {
    }

    public static Outcome run(JwtAuthentication config, SecurityRequest request) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        RequirementRule rule = config.getRulesList().stream()
                .filter(r -> r.getMatch().hasPrefix() && request.path() != null && request.path().startsWith(r.getMatch().getPrefix()))
                .findFirst().orElse(null);
        if (rule == null) {
            return new Outcome(true, "no requirement", metadata);
        }
        List<String> reasons = new ArrayList<>();
        boolean ok = requirement(rule.getRequires(), config, request, metadata, reasons);
        return new Outcome(ok, ok ? "ok" : String.join("; ", reasons), metadata);
    }

    private static boolean requirement(JwtRequirement r, JwtAuthentication config, SecurityRequest request,
                                       Map<String, Object> metadata, List<String> reasons) {
        return switch (r.getRequiresTypeCase()) {
            case PROVIDER_NAME -> verify(config.getProvidersOrThrow(r.getProviderName()), request, metadata, reasons) == Check.OK;
            case ALLOW_MISSING -> anyTokenPresent(config, request).isEmpty();
            case ALLOW_MISSING_OR_FAILED -> true;
            case REQUIRES_ANY -> r.getRequiresAny().getRequirementsList().stream()
                    .anyMatch(x -> requirement(x, config, request, metadata, reasons));
            case REQUIRES_ALL -> r.getRequiresAll().getRequirementsList().stream()
                    .allMatch(x -> requirement(x, config, request, metadata, reasons));
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "JWT requirement " + r.getRequiresTypeCase());
        };
    }

    /** Envoy's allow_missing fails when any provider's location holds a token (then it must verify). */
    private static Optional<String> anyTokenPresent(JwtAuthentication config, SecurityRequest request) {
        return config.getProvidersMap().values().stream().map(p -> token(p, request)).flatMap(Optional::stream).findFirst();
    }

    private static Check verify(JwtProvider provider, SecurityRequest request, Map<String, Object> metadata,
                                List<String> reasons) {
        Optional<String> token = token(provider, request);
        if (token.isEmpty()) {
            reasons.add("Jwt is missing");
            return Check.MISSING;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.get());
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!provider.getIssuer().isEmpty() && !provider.getIssuer().equals(claims.getIssuer())) {
                reasons.add("Jwt issuer is not configured");
                return Check.INVALID;
            }
            if (provider.getAudiencesCount() > 0 && (claims.getAudience() == null
                    || claims.getAudience().stream().noneMatch(provider.getAudiencesList()::contains))) {
                reasons.add("Audiences in Jwt are not allowed");
                return Check.INVALID;
            }
            Date now = new Date();
            if (claims.getExpirationTime() != null && claims.getExpirationTime().before(now)) {
                reasons.add("Jwt is expired");
                return Check.INVALID;
            }
            if (!signatureValid(jwt, JWKSet.parse(provider.getLocalJwks().getInlineString()))) {
                reasons.add("Jwt verification fails");
                return Check.INVALID;
            }
            if (!provider.getPayloadInMetadata().isEmpty()) {
                metadata.put(provider.getPayloadInMetadata(), payload(claims, provider));
            }
            return Check.OK;
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            reasons.add("Jwt is not in the form of Header.Payload.Signature: " + e.getMessage());
            return Check.INVALID;
        }
    }

    private static boolean signatureValid(SignedJWT jwt, JWKSet keys) throws com.nimbusds.jose.JOSEException {
        String kid = jwt.getHeader().getKeyID();
        for (JWK jwk : keys.getKeys()) {
            if (kid != null && jwk.getKeyID() != null && !kid.equals(jwk.getKeyID())) {
                continue;
            }
            Key key = jwk.getKeyType() == KeyType.RSA ? jwk.toRSAKey().toPublicKey()
                    : jwk.getKeyType() == KeyType.EC ? jwk.toECKey().toPublicKey() : null;
            if (key == null) {
                continue;
            }
            JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key);
            if (jwt.verify(verifier)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> payload(JWTClaimsSet claims, JwtProvider provider) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> split = provider.getNormalizePayloadInMetadata().getSpaceDelimitedClaimsList();
        claims.toJSONObject().forEach((k, v) -> {
            if (split.contains(k) && v instanceof String s) {
                out.put(k, Arrays.asList(s.split(" ")));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Optional<String> token(JwtProvider p, SecurityRequest r) {
        List<JwtHeader> headers = p.getFromHeadersList();
        boolean defaults = headers.isEmpty() && p.getFromParamsCount() == 0 && p.getFromCookiesCount() == 0;
        if (defaults) {
            headers = List.of(JwtHeader.newBuilder().setName("authorization").setValuePrefix("Bearer ").build());
        }
        for (JwtHeader h : headers) {
            String v = r.header(h.getName());
            if (v != null && v.startsWith(h.getValuePrefix())) {
                return Optional.of(v.substring(h.getValuePrefix().length()).trim());
            }
        }
        List<String> params = defaults ? List.of("access_token") : p.getFromParamsList();
        Map<String, String> query = query(r.path());
        for (String param : params) {
            if (query.containsKey(param)) {
                return Optional.of(query.get(param));
            }
        }
        String cookie = r.header("cookie");
        if (cookie != null) {
            for (String c : cookie.split(";")) {
                String[] kv = c.trim().split("=", 2);
                if (kv.length == 2 && p.getFromCookiesList().contains(kv[0])) {
                    return Optional.of(kv[1]);
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> query(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = path == null ? -1 : path.indexOf('?');
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                out.putIfAbsent(kv[0], kv.length == 2 ? kv[1] : "");
            }
        }
        return out;
    }
}
