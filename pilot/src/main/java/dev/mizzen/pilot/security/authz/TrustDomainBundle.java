package dev.mizzen.pilot.security.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The mesh trust domain and its aliases, and how a policy's principals are widened to them: Istio's
 * {@code trustdomain.Bundle} ({@code pilot/pkg/security/trustdomain/bundle.go}). A principal
 * {@code <td>/ns/<ns>/sa/<sa>} whose trust domain is one of the bundle's or {@code cluster.local} (which stands
 * for the local trust domain) is repeated for every trust domain of the bundle; any other principal is kept.
 */
public record TrustDomainBundle(List<String> trustDomains) {
    static final String CLUSTER_LOCAL = "cluster.local";

    public TrustDomainBundle {
        trustDomains = List.copyOf(trustDomains);
    }

    /** The trust domain first, then its aliases, as Istio's {@code NewBundle} lists them. */
    public static TrustDomainBundle of(String trustDomain, List<String> aliases) {
        List<String> all = new ArrayList<>();
        all.add(Objects.requireNonNull(trustDomain, "trustDomain"));
        aliases.stream().filter(Objects::nonNull).forEach(all::add);
        return new TrustDomainBundle(all);
    }

    public static TrustDomainBundle of(String trustDomain) {
        return of(trustDomain, List.of());
    }

    public List<String> replaceTrustDomainAliases(List<String> principals) {
        List<String> out = new ArrayList<>();
        for (String principal : principals) {
            String[] parts = principal.split("/", -1);
            if (parts.length != 5 || parts[0].equals("*")) {
                // not Istio's format, or the trust domain is not checked ("*/ns/foo/sa/bar"): kept as is
                out.add(principal);
                continue;
            }
            String td = parts[0];
            // the principal's trust domain is the pattern ("*bar" matches the alias "foobar")
            if (trustDomains.stream().anyMatch(t -> StringMatchers.istioStringMatch(t, List.of(td)))
                    || td.equals(CLUSTER_LOCAL)) {
                for (String replacement : replaceTrustDomains(principal, parts)) {
                    if (!out.contains(replacement)) {
                        out.add(replacement);
                    }
                }
            } else {
                out.add(principal);
            }
        }
        return out;
    }

    private List<String> replaceTrustDomains(String principal, String[] parts) {
        List<String> out = new ArrayList<>();
        for (String td : trustDomains) {
            // a principal whose trust domain is "*suffix" and matches this one is kept as written
            String replaced = parts[0].startsWith("*") && td.endsWith(parts[0].substring(1)) ? principal
                    : td + principal.substring(parts[0].length());
            if (!out.contains(replaced)) {
                out.add(replaced);
            }
        }
        return out;
    }
}
