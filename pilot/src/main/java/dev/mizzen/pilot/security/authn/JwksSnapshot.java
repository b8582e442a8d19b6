package dev.mizzen.pilot.security.authn;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.security.JwtRule;
import dev.mizzen.api.security.RequestAuthentication;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of every JWT issuer the RequestAuthentications of one push name, read once from istiod's cache
 * when the push context is built, so that generators read an immutable map and the same push gives the same
 * bytes. Keys that were not fetched (yet) are {@link FakeJwks}: tokens of that issuer are rejected. When the
 * cache learns new keys it says so ({@link JwksCache}), and the push that follows takes a new snapshot.
 */
public final class JwksSnapshot implements JwksSource {
    public static final JwksSnapshot EMPTY = new JwksSnapshot(Map.of());

    /** by {@link #key} */
    private final Map<String, String> keys;

    private JwksSnapshot(Map<String, String> keys) {
        this.keys = keys;
    }

    /** Reads, from {@code cache}, the keys of every rule of {@code policies} whose keys are not inline. */
    public static JwksSnapshot of(List<Config<RequestAuthentication>> policies, JwksSource cache) {
        Map<String, String> keys = new TreeMap<>();
        for (Config<RequestAuthentication> policy : policies) {
            for (JwtRule rule : policy.spec().jwtRules()) {
                if (rule.jwks() == null || rule.jwks().isEmpty()) {
                    String issuer = nullToEmpty(rule.issuer());
                    String uri = nullToEmpty(rule.jwksUri());
                    keys.computeIfAbsent(key(issuer, uri), k -> cache.jwks(issuer, uri));
                }
            }
        }
        return new JwksSnapshot(Map.copyOf(keys));
    }

    /**
     * What identifies a key set: its URI, or the issuer whose OpenID discovery names it when the rule gives
     * no URI. The cache, the snapshot and push requests use the same key.
     */
    public static String key(String issuer, String jwksUri) {
        return jwksUri == null || jwksUri.isEmpty() ? "issuer:" + nullToEmpty(issuer) : jwksUri;
    }

    /** The key of a rule's key set, or null when its keys are inline. */
    public static String keyOf(JwtRule rule) {
        return rule.jwks() != null && !rule.jwks().isEmpty() ? null : key(rule.issuer(), rule.jwksUri());
    }

    @Override
    public String jwks(String issuer, String jwksUri) {
        return keys.getOrDefault(key(issuer, jwksUri), FakeJwks.JSON);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
