package dev.mizzen.galley.validation;

import dev.mizzen.api.config.SpecReader;
import dev.mizzen.api.security.ClaimToHeader;
import dev.mizzen.api.security.JwtRule;
import dev.mizzen.api.security.RequestAuthentication;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * RequestAuthentication: its target, and each JWT rule: an issuer or JWKS URI (http/https), inline JWKS
 * that parses as a key or key set, one key source, non-empty token locations, valid claim-to-header names.
 */
final class RequestAuthenticationValidator implements KindValidator<RequestAuthentication> {
    @Override
    public void validate(RequestAuthentication ra, String namespace, Findings out) {
        PolicyTargets.check(out, ra.selector(), ra.targetRef(), ra.targetRefs());
        for (int i = 0; i < ra.jwtRules().size(); i++) {
            rule(out, FieldPath.SPEC.field("jwtRules").index(i), ra.jwtRules().get(i));
        }
    }

    private static void rule(Findings out, FieldPath at, JwtRule rule) {
        nonEmpty(out, at.field("audiences"), rule.audiences(), "audience must be non-empty string");
        boolean hasUri = rule.jwksUri() != null && !rule.jwksUri().isEmpty();
        if ((rule.issuer() == null || rule.issuer().isEmpty()) && !hasUri) {
            out.error(at.field("issuer"), "issuer or jwksUri must be non-empty string");
        }
        if (hasUri) {
            out.errorIf(at.field("jwksUri"), jwksUriError(rule.jwksUri()));
        }
        if (rule.jwks() != null && !rule.jwks().isEmpty()) {
            if (hasUri) {
                out.error(at, "only one of jwks or jwksUri can be set");
            }
            out.errorIf(at.field("jwks"), jwksError(rule.jwks()));
        }
        for (int i = 0; i < rule.fromHeaders().size(); i++) {
            String name = rule.fromHeaders().get(i).name();
            if (name == null || name.isEmpty()) {
                out.error(at.field("fromHeaders").index(i).field("name"), "location header name must be non-empty string");
            }
        }
        nonEmpty(out, at.field("fromParams"), rule.fromParams(), "location query must be non-empty string");
        nonEmpty(out, at.field("fromCookies"), rule.fromCookies(), "cookie name must be non-empty string");
        for (int i = 0; i < rule.outputClaimToHeaders().size(); i++) {
            FieldPath p = at.field("outputClaimToHeaders").index(i);
            ClaimToHeader c = rule.outputClaimToHeaders().get(i);
            if (c.claim() == null || c.claim().isEmpty() || c.header() == null || c.header().isEmpty()) {
                out.error(p, "outputClaimToHeaders header and claim value must be non-empty string");
                continue;
            }
            out.errorIf(p.field("header"), HeaderRules.strictNameError(c.header()));
        }
        DurationRules.check(out, at.field("timeout"), rule.timeout());
        Enums.check(out, at.field("presence"), rule.presence(), Set.of("OPTIONAL", "REQUIRED"));
        nonEmpty(out, at.field("spaceDelimitedClaims"), rule.spaceDelimitedClaims(), "claim name must be non-empty string");
    }

    /** The URI's scheme must be http or https and its port, if any, a number. */
    static String jwksUriError(String uri) {
        int colon = uri.indexOf(':');
        String scheme = colon > 0 && uri.substring(0, colon).chars().allMatch(
                c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.') ? uri.substring(0, colon) : "";
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "URI scheme \"" + scheme + "\" is not supported";
        }
        String rest = uri.substring(colon + 1);
        if (!rest.startsWith("//")) {
            return null;
        }
        String authority = rest.substring(2).split("[/?#]", 2)[0];
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        int portColon = authority.lastIndexOf(':');
        if (portColon >= 0 && portColon > authority.lastIndexOf(']')) {
            String port = authority.substring(portColon + 1);
            if (!port.isEmpty() && !port.chars().allMatch(Character::isDigit)) {
                return "invalid port \":" + port + "\" after host";
            }
        }
        return null;
    }

    /** Inline JWKS: a JSON key ({@code kty}) or key set ({@code keys}, each with {@code kty}). */
    static String jwksError(String jwks) {
        JsonNode tree;
        try {
            tree = SpecReader.mapper().readTree(jwks);
        } catch (JacksonException e) {
            return "jwks parse error: " + e.getOriginalMessage();
        }
        if (tree == null || !tree.isObject()) {
            return "jwks parse error: not a JSON object";
        }
        JsonNode keys = tree.get("keys");
        if (keys == null) {
            return tree.hasNonNull("kty") ? null : "jwks parse error: a key needs \"kty\"";
        }
        if (!keys.isArray()) {
            return "jwks parse error: \"keys\" must be a list";
        }
        for (JsonNode key : keys) {
            if (!key.isObject() || !key.hasNonNull("kty")) {
                return "jwks parse error: every key needs \"kty\"";
            }
        }
        return null;
    }

    private static void nonEmpty(Findings out, FieldPath at, List<String> values, String message) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isEmpty()) {
                out.error(at.index(i), message);
            }
        }
    }
}
