package dev.mizzen.galley.validation;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The attribute vocabulary of AuthorizationPolicy: condition keys and what their values must look like,
 * IP blocks, ports, service accounts and the {@code {*}}/{@code {**}} path templates.
 */
final class AuthorizationAttributes {
    private static final String MATCH_ONE = "{*}";
    private static final String MATCH_ANY = "{**}";
    /** RFC 3986 pchar: what a literal path segment may hold next to a template. */
    private static final Pattern LITERAL = Pattern.compile("^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$");
    private static final int MAX_SERVICE_ACCOUNTS = 16;
    private static final int MAX_SERVICE_ACCOUNT_LENGTH = 320;

    private AuthorizationAttributes() {
    }

    /** The problem with a condition's values for {@code key}, or null. */
    static String attributeError(String key, List<String> values) {
        if (values.stream().anyMatch(String::isEmpty)) {
            return "empty value not allowed, found in " + key;
        }
        if (key.startsWith("request.headers") || key.startsWith("request.experimental.inline.headers")
                || key.startsWith("request.auth.claims") || key.startsWith("experimental.envoy.filters.")) {
            return mapKeyError(key);
        }
        return switch (key) {
            case "source.ip", "remote.ip", "destination.ip" -> ipsError(values);
            case "destination.port" -> portsError(values);
            case "source.serviceAccount" -> serviceAccountsError(values);
            case "source.namespace", "source.principal", "request.auth.principal", "request.auth.audiences",
                 "request.auth.presenter", "connection.sni" -> null;
            case "destination.namespace" -> "attribute " + key + " is replaced by the metadata.namespace";
            case "destination.name", "destination.user" -> "deprecated attribute " + key + ": only supported in v1alpha1";
            default -> key.startsWith("destination.labels") ? "attribute " + key + " is replaced by the workload selector"
                    : "unknown attribute: " + key;
        };
    }

    /** Keys such as {@code request.headers[User-Agent]} need a non-empty name in brackets. */
    private static String mapKeyError(String key) {
        int open = key.indexOf('[');
        if (key.endsWith("]") && open > 0 && open < key.length() - 2) {
            return null;
        }
        return "bad key (" + key + "): should have format a[b]";
    }

    static void checkIps(Findings out, FieldPath at, List<String> ips) {
        for (int i = 0; i < ips.size(); i++) {
            out.errorIf(at.index(i), ipsError(List.of(ips.get(i))));
        }
    }

    private static String ipsError(List<String> ips) {
        for (String ip : ips) {
            if (ip.contains("/")) {
                if (!IpAddresses.isCidr(ip)) {
                    return "bad CIDR range (" + ip + ")";
                }
            } else if (!IpAddresses.isIp(ip)) {
                return "bad IP address (" + ip + ")";
            }
        }
        return null;
    }

    static void checkPorts(Findings out, FieldPath at, List<String> ports) {
        for (int i = 0; i < ports.size(); i++) {
            out.errorIf(at.index(i), portsError(List.of(ports.get(i))));
        }
    }

    private static String portsError(List<String> ports) {
        for (String port : ports) {
            boolean digits = !port.isEmpty() && port.length() <= 10 && port.chars().allMatch(Character::isDigit);
            if (!digits || Long.parseLong(port) > 65535) {
                return "bad port (" + port + ")";
            }
        }
        return null;
    }

    /** At most 16, each {@code name} or {@code namespace/name}, no wildcards, at most 320 characters. */
    static String serviceAccountsError(List<String> accounts) {
        if (accounts.size() > MAX_SERVICE_ACCOUNTS) {
            return "may not have more than 16 values";
        }
        for (String sa : accounts) {
            if (sa.isEmpty()) {
                return "empty value not allowed";
            }
            if (sa.contains("*")) {
                return "wildcard not allowed, found " + sa;
            }
            long slashes = sa.chars().filter(c -> c == '/').count();
            if (slashes > 1) {
                return "expected format 'serviceAccount' or 'namespace/serviceAccount', found \"" + sa + "\"";
            }
            if (sa.length() > MAX_SERVICE_ACCOUNT_LENGTH) {
                return "value cannot exceed 320 characters, found \"" + sa + "\"";
            }
            if (slashes == 1 && (sa.startsWith("/") || sa.endsWith("/"))) {
                return "expected format 'serviceAccount' or 'namespace/serviceAccount', found \"" + sa + "\"";
            }
        }
        return null;
    }

    /** {@code {*}} matches one segment, {@code {**}} the rest and must be last; literals next to them are pchars. */
    static void checkPathTemplates(Findings out, FieldPath at, List<String> paths) {
        for (int i = 0; i < paths.size(); i++) {
            out.errorIf(at.index(i), pathTemplateError(paths.get(i)));
        }
    }

    private static String pathTemplateError(String path) {
        boolean template = path.contains(MATCH_ONE) || path.contains(MATCH_ANY);
        boolean anySeen = false;
        String trimmed = trimSlashes(path);
        for (String segment : trimmed.split("/", -1)) {
            if ((segment.equals(MATCH_ONE) || segment.equals(MATCH_ANY)) && anySeen) {
                return "invalid or unsupported path " + trimmed + ": {**} is not the last operator";
            }
            if (segment.equals(MATCH_ONE)) {
                continue;
            }
            if (segment.equals(MATCH_ANY)) {
                anySeen = true;
                continue;
            }
            if (segment.contains("{") || segment.contains("}")) {
                return "invalid or unsupported path " + trimmed + ": contains '{' or '}' beyond a supported path template";
            }
            if (template && !LITERAL.matcher(segment).matches()) {
                return "invalid or unsupported path " + trimmed + ": contains segment " + segment + " with invalid string literal";
            }
        }
        return null;
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
