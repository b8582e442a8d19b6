package dev.mizzen.galley.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Istio's rules for host names: DNS-1123 labels (letters of either case, digits, inner dashes, at most 63),
 * FQDNs (a trailing dot allowed, the top-level label not all digits), a wildcard only as the first label
 * ({@code *}, {@code *.example.com}, {@code *-foo.example.com}), and the {@code namespace/host} form of
 * Gateway servers and Sidecar egress listeners. Each check returns the problem as a sentence, or null.
 */
final class Hosts {
    private static final int MAX_LABEL = 63;
    private static final int MAX_DOMAIN = 255;
    private static final String AUTO_SNI_PREFIX = "outbound";
    private static final String AUTO_SNI_FORMAT = "outbound_.<PORT>_._.<HOSTNAME>";

    private Hosts() {
    }

    static boolean isDns1123Label(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LABEL) {
            return false;
        }
        if (!isAlnum(value.charAt(0)) || !isAlnum(value.charAt(value.length() - 1))) {
            return false;
        }
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (!isAlnum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code *}, or a label with an optional leading {@code *} or {@code *-}. */
    static boolean isWildcardLabel(String value) {
        if (value == null || value.length() > MAX_LABEL) {
            return false;
        }
        if (value.equals("*")) {
            return true;
        }
        String rest = value;
        if (rest.startsWith("*-")) {
            rest = rest.substring(2);
        } else if (rest.startsWith("*")) {
            rest = rest.substring(1);
        }
        return isDns1123Label(rest);
    }

    static String fqdnError(String name) {
        String pre = preconditionError(name);
        return pre != null ? pre : labelsError(name, name);
    }

    /** An FQDN, or one whose first label is a wildcard. */
    static String wildcardDomainError(String domain) {
        String pre = preconditionError(domain);
        if (pre != null) {
            return pre;
        }
        int dot = domain.indexOf('.');
        String first = dot < 0 ? domain : domain.substring(0, dot);
        if (!isWildcardLabel(first)) {
            return "domain name \"" + domain + "\" invalid (label \"" + first + "\" invalid)";
        }
        return dot < 0 ? null : labelsError(domain, domain.substring(dot + 1));
    }

    /**
     * Hosts of a VirtualService bound to gateways: like {@link #wildcardDomainError}, and with TLS routes the
     * SNI names Istio generates for AUTO_PASSTHROUGH, {@code outbound_.<port>_._.<host>}.
     */
    static String gatewayBoundHostError(boolean sni, String domain) {
        String pre = preconditionError(domain);
        if (pre != null) {
            return pre;
        }
        if (sni && domain.startsWith(AUTO_SNI_PREFIX + "_")) {
            String[] parts = domain.split("_", -1);
            if (parts.length < 4) {
                return "domain name " + domain + " invalid, should follow '" + AUTO_SNI_FORMAT + "' format";
            }
            String port = trimDots(parts[1]);
            String host = trimDots(parts[3]);
            if (!parts[0].equals(AUTO_SNI_PREFIX)) {
                return "domain name \"" + domain + "\" invalid (label \"" + parts[0] + "\" invalid)";
            }
            if (port.chars().noneMatch(Character::isDigit)) {
                return "domain name \"" + domain + "\" invalid (label \"" + port + "\" invalid). should follow "
                        + AUTO_SNI_FORMAT + " format";
            }
            if (host.chars().noneMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return "domain name \"" + domain + "\" invalid (label \"" + host + "\" invalid). should follow "
                        + AUTO_SNI_FORMAT + " format";
            }
            return null;
        }
        return wildcardDomainError(domain);
    }

    /** A {@code *} anywhere but as the whole first label. */
    static String partialWildcardError(String host) {
        if (host.contains("*") && host.length() != 1 && !host.startsWith("*.")) {
            return "partial wildcard \"" + host + "\" not allowed";
        }
        return null;
    }

    /**
     * A Gateway server host or Sidecar egress host: {@code namespace/dnsName}; gateways also take a bare host
     * (and an IP address), sidecars also take {@code ~} as namespace.
     */
    static List<String> namespacedHostErrors(String hostname, boolean gateway) {
        List<String> errors = new ArrayList<>();
        int slash = hostname.indexOf('/');
        if (slash < 0) {
            if (gateway) {
                hostPartErrors(hostname, true, errors);
            } else {
                errors.add("host must be of form namespace/dnsName");
            }
            return errors;
        }
        String ns = hostname.substring(0, slash);
        String host = hostname.substring(slash + 1);
        if (ns.isEmpty() || host.isEmpty()) {
            errors.add("config namespace and dnsName in host entry cannot be empty");
        }
        boolean special = ns.equals("*") || ns.equals(".") || (!gateway && ns.equals("~"));
        if (!special && !isDns1123Label(ns)) {
            errors.add("invalid namespace value \"" + ns + "\" in " + (gateway ? "gateway" : "sidecar"));
        }
        hostPartErrors(host, gateway, errors);
        return errors;
    }

    private static void hostPartErrors(String host, boolean gateway, List<String> errors) {
        if (!host.equals("*") && !host.contains(".")) {
            errors.add("short names (non FQDN) are not allowed");
        }
        String domainError = wildcardDomainError(host);
        if (domainError != null && !(gateway && IpAddresses.isIp(host))) {
            errors.add(domainError);
        }
        String partial = partialWildcardError(host);
        if (partial != null) {
            errors.add(partial);
        }
    }

    /** Istio's host.Name.Matches: true when some name could match both (wildcards included). */
    static boolean matches(String a, String b) {
        boolean aWild = a.startsWith("*");
        boolean bWild = b.startsWith("*");
        if (aWild && bWild) {
            return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1)) : a.substring(1).endsWith(b.substring(1));
        }
        if (aWild) {
            return b.endsWith(a.substring(1));
        }
        if (bWild) {
            return a.endsWith(b.substring(1));
        }
        return a.equals(b);
    }

    /** Istio's host.Name.SubsetOf: every name {@code a} matches is matched by {@code b}. */
    static boolean subsetOf(String a, String b) {
        boolean aWild = a.startsWith("*");
        boolean bWild = b.startsWith("*");
        if (aWild) {
            return bWild && a.length() >= b.length() && a.substring(1).endsWith(b.substring(1));
        }
        if (bWild) {
            return a.endsWith(b.substring(1));
        }
        return a.equals(b);
    }

    private static String preconditionError(String name) {
        if (name == null || name.isEmpty()) {
            return "empty domain name not allowed";
        }
        if (name.length() > MAX_DOMAIN) {
            return "domain name \"" + name + "\" too long (max 255)";
        }
        return null;
    }

    private static String labelsError(String domain, String labels) {
        String[] parts = labels.split("\\.", -1);
        String tld = parts[parts.length - 1];
        if (isInteger(tld)) {
            return "domain name \"" + domain + "\" invalid (top level domain \"" + tld + "\" cannot be all-numeric)";
        }
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].isEmpty()) {
                return null; // a trailing dot: "istio.io."
            }
            if (!isDns1123Label(parts[i])) {
                return "domain name \"" + domain + "\" invalid (label \"" + parts[i] + "\" invalid)";
            }
        }
        return null;
    }

    /** What Go's strconv.Atoi accepts: an optional sign and decimal digits that fit 64 bits. */
    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String trimDots(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '.') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
