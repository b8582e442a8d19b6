package dev.mizzen.galley.analysis;

import java.util.ArrayList;
import java.util.List;

/** Istio's host name rules as its analyzers apply them ({@code pkg/config/host}, {@code analyzers/util}). */
final class HostNames {
    private HostNames() {
    }

    /** A short name ({@code reviews}) made {@code reviews.NS.svc.DOMAIN}; wildcards and dotted names as they are. */
    static String fqdn(String namespace, String host, String clusterDomain) {
        if (host.startsWith("*") || host.contains(".")) {
            return host;
        }
        return host + "." + namespace + ".svc." + clusterDomain;
    }

    /** Istio's {@code host.Name.Matches}: equal, or one a wildcard whose suffix the other ends with. */
    static boolean matches(String a, String b) {
        boolean aWild = a.startsWith("*");
        boolean bWild = b.startsWith("*");
        if (aWild && bWild) {
            return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1))
                    : a.substring(1).endsWith(b.substring(1));
        }
        if (aWild) {
            return b.endsWith(a.substring(1));
        }
        if (bWild) {
            return a.endsWith(b.substring(1));
        }
        return a.equals(b);
    }

    /** Istio's {@code host.NamesForNamespace}: the hosts of {@code ns/host} entries visible from a namespace. */
    static List<String> namesForNamespace(List<String> hosts, String namespace) {
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            int slash = h.indexOf('/');
            if (slash >= 0) {
                String ns = h.substring(0, slash);
                if (!ns.equals(namespace) && !ns.equals("*")) {
                    continue;
                }
                h = h.substring(slash + 1);
            }
            out.add(h);
        }
        return out;
    }

    /**
     * Istio's {@code GetResourceNameFromHost}: the namespace/name a host refers to; {@code name.ns.svc...} gives
     * that service, any other name is taken as a short name in {@code defaultNamespace}.
     */
    static String resourceName(String defaultNamespace, String host) {
        String[] parts = host.split("\\.");
        if (parts.length >= 3 && parts[2].equals("svc") && !parts[0].isEmpty() && !parts[1].isEmpty()) {
            return parts[1] + "/" + parts[0];
        }
        return defaultNamespace + "/" + host;
    }
}
