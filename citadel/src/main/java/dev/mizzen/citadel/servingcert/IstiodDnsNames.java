package dev.mizzen.citadel.servingcert;

import java.util.List;

/**
 * The names istiod answers to, as Istio puts them in its own certificate: the Service {@code istiod} and its
 * older or remote aliases ({@code istiod-remote}, {@code istio-pilot}) as {@code <name>.<ns>.svc}, plus the
 * fully qualified and bare forms of {@code istiod}.
 */
public final class IstiodDnsNames {
    private IstiodDnsNames() {
    }

    public static List<String> of(String namespace, String domainSuffix) {
        return List.of(
                "istiod." + namespace + ".svc",
                "istiod-remote." + namespace + ".svc",
                "istio-pilot." + namespace + ".svc",
                "istiod." + namespace + ".svc." + domainSuffix,
                "istiod");
    }
}
