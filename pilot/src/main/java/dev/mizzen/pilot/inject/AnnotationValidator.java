package dev.mizzen.pilot.inject;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Checks the pod annotations that end up in iptables arguments, probes or resources before anything is
 * rendered, so a bad value is a clear denial instead of a pod that crash-loops in istio-init. Istio's list
 * (pkg/kube/inject/validate.go), plus the resource quantities and the user volume annotations, which Istio
 * only discovers when the rendered pod fails to parse.
 */
final class AnnotationValidator {
    /** Each check returns null when the value is fine, else what is wrong with it. */
    private static final Map<String, UnaryOperator<String>> CHECKS = new TreeMap<>(Map.ofEntries(
            Map.entry(Annotations.INTERCEPTION_MODE, AnnotationValidator::interceptionMode),
            Map.entry(Annotations.STATUS_PORT, v -> port(v) ? null : "not a port number (0-65535)"),
            Map.entry(Annotations.READINESS_INITIAL_DELAY, AnnotationValidator::uint32),
            Map.entry(Annotations.READINESS_PERIOD, AnnotationValidator::uint32),
            Map.entry(Annotations.READINESS_FAILURE_THRESHOLD, AnnotationValidator::uint32),
            Map.entry(Annotations.INCLUDE_OUTBOUND_IP_RANGES,
                    v -> "*".equals(v) ? null : named("includeIPRanges", cidrList(v))),
            Map.entry(Annotations.EXCLUDE_OUTBOUND_IP_RANGES, v -> named("excludeIPRanges", cidrList(v))),
            Map.entry(Annotations.INCLUDE_INBOUND_PORTS, v -> "*".equals(v) ? null : portList(v)),
            Map.entry(Annotations.EXCLUDE_INBOUND_PORTS, AnnotationValidator::portList),
            Map.entry(Annotations.INCLUDE_OUTBOUND_PORTS, AnnotationValidator::portList),
            Map.entry(Annotations.EXCLUDE_OUTBOUND_PORTS, AnnotationValidator::portList),
            Map.entry(Annotations.PROMETHEUS_MERGE, v -> GoBool.parse(v) == null ? "not a boolean" : null),
            Map.entry(Annotations.PROXY_CONFIG, AnnotationValidator::proxyConfig),
            Map.entry(Annotations.PROXY_CPU, AnnotationValidator::quantity),
            Map.entry(Annotations.PROXY_MEMORY, AnnotationValidator::quantity),
            Map.entry(Annotations.PROXY_CPU_LIMIT, AnnotationValidator::quantity),
            Map.entry(Annotations.PROXY_MEMORY_LIMIT, AnnotationValidator::quantity),
            Map.entry(Annotations.USER_VOLUME, AnnotationValidator::namedObjects),
            Map.entry(Annotations.USER_VOLUME_MOUNT, AnnotationValidator::namedObjects)));

    private static final Set<String> MODES = Set.of("REDIRECT", "TPROXY", "NONE");

    private AnnotationValidator() {
    }

    /** Every problem found, one message each, in annotation-name order. */
    static List<String> validate(Map<String, String> annotations) {
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, UnaryOperator<String>> check : CHECKS.entrySet()) {
            String value = annotations.get(check.getKey());
            if (value == null) {
                continue;
            }
            String problem = check.getValue().apply(value);
            if (problem != null) {
                errors.add("invalid value '" + value + "' for annotation '" + check.getKey() + "': " + problem);
            }
        }
        return errors;
    }

    /** Istio's wording: "includeIPRanges invalid: failed parsing cidr ...". */
    private static String named(String what, String problem) {
        return problem == null ? null : what + " invalid: " + problem;
    }

    private static String interceptionMode(String v) {
        return MODES.contains(v) ? null : "interceptionMode must be REDIRECT, TPROXY or NONE";
    }

    private static String uint32(String v) {
        try {
            long n = Long.parseLong(v);
            return n >= 0 && n <= 0xFFFFFFFFL ? null : "not an unsigned 32-bit integer";
        } catch (NumberFormatException e) {
            return "not an unsigned 32-bit integer";
        }
    }

    static boolean port(String v) {
        String s = v.trim();
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(s) <= 65535;
    }

    private static String portList(String v) {
        if (v.trim().isEmpty()) {
            return null;
        }
        for (String p : v.trim().split(",", -1)) {
            if (!port(p)) {
                return "failed parsing port '" + p + "'";
            }
        }
        return null;
    }

    private static String cidrList(String v) {
        if (v.isEmpty()) {
            return null;
        }
        for (String cidr : v.split(",", -1)) {
            if (!cidr(cidr)) {
                return "failed parsing cidr '" + cidr + "'";
            }
        }
        return null;
    }

    /** An address/prefix-length pair as Go's netip.ParsePrefix accepts it (no zones, no host names). */
    static boolean cidr(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0 || slash != s.lastIndexOf('/')) {
            return false;
        }
        String addr = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)
                || (bits.length() > 1 && bits.startsWith("0"))) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (addr.contains(":")) {
            return ipv6(addr) && prefix <= 128;
        }
        return ipv4(addr) && prefix <= 32;
    }

    private static boolean ipv4(String addr) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                    || (p.length() > 1 && p.startsWith("0")) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv6(String addr) {
        // only hex digits, colons and dots reach InetAddress, so it parses a literal and never resolves a name
        if (!addr.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return false;
        }
        try {
            InetAddress.getByName(addr); // an IPv4-mapped literal comes back as IPv4, still a valid IPv6 prefix
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String quantity(String v) {
        try {
            Quantity.parse(v);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String proxyConfig(String v) {
        try {
            JsonNode node = Trees.YAML.readTree(v);
            return node == null || node.isMissingNode() || node.isNull() || node.isObject()
                    ? null : "not a ProxyConfig mapping";
        } catch (JacksonException e) {
            return "not valid YAML: " + e.getOriginalMessage();
        }
    }

    /** A JSON object of name to spec, or a JSON array of specs that carry their own name. */
    private static String namedObjects(String v) {
        try {
            JsonNode node = Trees.JSON.readTree(v);
            if (!node.isObject() && !node.isArray()) {
                return "not a JSON object of name to spec, nor a JSON array of named specs";
            }
            for (JsonNode spec : node) {
                if (!spec.isObject()) {
                    return "every entry must be a JSON object";
                }
                if (node.isArray() && !spec.path("name").isString()) {
                    return "every entry of the array must have a name";
                }
            }
            return null;
        } catch (JacksonException e) {
            return "not valid JSON: " + e.getOriginalMessage();
        }
    }
}
