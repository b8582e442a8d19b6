package dev.mizzen.pilot.model;

/**
 * Host name rules of Istio config: short names resolve in the namespace of the config that wrote them,
 * and a leading {@code *} matches any prefix.
 */
public final class Hostnames {
    private Hostnames() {
    }

    /**
     * Resolves a host as written in config of {@code namespace}: {@code reviews} becomes
     * {@code reviews.<namespace>.svc.<domainSuffix>}; names with a dot and wildcards stay as written.
     */
    public static String resolve(String host, String namespace, String domainSuffix) {
        if (host == null || host.isEmpty() || host.equals("*") || host.contains(".")) {
            return host;
        }
        return host + "." + namespace + ".svc." + domainSuffix;
    }

    /** True when a (possibly wildcard) config host matches a concrete service hostname. */
    public static boolean matches(String pattern, String hostname) {
        if (pattern.equals(hostname) || pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*")) {
            return hostname.endsWith(pattern.substring(1));
        }
        return false;
    }

    /** The short name of a service hostname ({@code reviews} of {@code reviews.default.svc.cluster.local}). */
    public static String shortName(String hostname) {
        int dot = hostname.indexOf('.');
        return dot < 0 ? hostname : hostname.substring(0, dot);
    }
}
