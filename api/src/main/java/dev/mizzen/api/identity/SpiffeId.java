package dev.mizzen.api.identity;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes workload identity as Istio spells it: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<account>}.
 * The only name citadel puts in a workload certificate.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    private static final Pattern URI = Pattern.compile("spiffe://([^/]+)/ns/([^/]+)/sa/([^/]+)");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    public SpiffeId {
        check("trust domain", trustDomain, TRUST_DOMAIN);
        check("namespace", namespace, NAME);
        check("service account", serviceAccount, NAME);
    }

    public static SpiffeId of(String trustDomain, String namespace, String serviceAccount) {
        return new SpiffeId(trustDomain, namespace, serviceAccount);
    }

    /** The identity in a URI SAN, or empty when the URI is not a well-formed SPIFFE workload identity. */
    public static Optional<SpiffeId> parse(String uri) {
        var m = URI.matcher(uri == null ? "" : uri);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SpiffeId(m.group(1), m.group(2), m.group(3)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String uri() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    @Override
    public String toString() {
        return uri();
    }

    private static void check(String what, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }
}
