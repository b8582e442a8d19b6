package dev.mizzen.pilot.networking.pgv;

import com.google.common.net.InetAddresses;
import com.google.protobuf.ByteString;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.StringRules;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * String and bytes rules. {@code pattern} uses RE2 semantics through com.google.re2j (what PGV's C++ and Go
 * code use), unanchored like RE2's PartialMatch; lengths count code points, {@code *_bytes} count UTF-8 bytes.
 */
final class StringRuleChecker {
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Map<String, com.google.re2j.Pattern> PATTERNS = new ConcurrentHashMap<>();

    private StringRuleChecker() {
    }

    static void string(StringRules r, String s, String path, Findings f) {
        RuleFields.reportUnhandled("string", r, RuleKinds.STRING, path, f);
        if (r.getIgnoreEmpty() && s.isEmpty()) {
            return;
        }
        long chars = s.codePointCount(0, s.length());
        long bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (r.hasConst() && !s.equals(r.getConst())) {
            f.violation(path, "must equal \"" + r.getConst() + "\"");
        }
        if (r.hasLen() && chars != r.getLen()) {
            f.violation(path, "length must be " + r.getLen());
        }
        if (r.hasMinLen() && chars < r.getMinLen()) {
            f.violation(path, "length must be >= " + r.getMinLen());
        }
        if (r.hasMaxLen() && chars > r.getMaxLen()) {
            f.violation(path, "length must be <= " + r.getMaxLen());
        }
        if (r.hasLenBytes() && bytes != r.getLenBytes()) {
            f.violation(path, "length must be " + r.getLenBytes() + " bytes");
        }
        if (r.hasMinBytes() && bytes < r.getMinBytes()) {
            f.violation(path, "length must be >= " + r.getMinBytes() + " bytes");
        }
        if (r.hasMaxBytes() && bytes > r.getMaxBytes()) {
            f.violation(path, "length must be <= " + r.getMaxBytes() + " bytes");
        }
        if (r.hasPattern() && !re2(r.getPattern()).matcher(s).find()) {
            f.violation(path, "must match pattern " + r.getPattern());
        }
        if (r.hasPrefix() && !s.startsWith(r.getPrefix())) {
            f.violation(path, "must start with \"" + r.getPrefix() + "\"");
        }
        if (r.hasSuffix() && !s.endsWith(r.getSuffix())) {
            f.violation(path, "must end with \"" + r.getSuffix() + "\"");
        }
        if (r.hasContains() && !s.contains(r.getContains())) {
            f.violation(path, "must contain \"" + r.getContains() + "\"");
        }
        if (r.hasNotContains() && s.contains(r.getNotContains())) {
            f.violation(path, "must not contain \"" + r.getNotContains() + "\"");
        }
        if (r.getInCount() > 0 && !r.getInList().contains(s)) {
            f.violation(path, "must be in " + r.getInList());
        }
        if (r.getNotInCount() > 0 && r.getNotInList().contains(s)) {
            f.violation(path, "must not be in " + r.getNotInList());
        }
        wellKnown(r, s, path, f);
    }

    private static void wellKnown(StringRules r, String s, String path, Findings f) {
        switch (r.getWellKnownCase()) {
            case HOSTNAME -> require(!r.getHostname() || isHostname(s), "must be a valid hostname", path, f);
            case IP -> require(!r.getIp() || InetAddresses.isInetAddress(s), "must be a valid IP address", path, f);
            case IPV4 -> require(!r.getIpv4() || isIp(s, 4), "must be a valid IPv4 address", path, f);
            case IPV6 -> require(!r.getIpv6() || isIp(s, 16), "must be a valid IPv6 address", path, f);
            case ADDRESS -> require(!r.getAddress() || isHostname(s) || InetAddresses.isInetAddress(s),
                    "must be a valid hostname or IP address", path, f);
            case UUID -> require(!r.getUuid() || UUID.matcher(s).matches(), "must be a valid UUID", path, f);
            case WELL_KNOWN_REGEX -> headerRegex(r.getWellKnownRegex(), r.getStrict(), s, path, f);
            default -> { } // email, uri, uri_ref: reported as unchecked by reportUnhandled
        }
    }

    /**
     * PGV's header regexes, spelled out. Strict name: {@code ^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$} (note "+-." is a
     * range, so ',' passes too, as in PGV); strict value: no control characters but tab; not strict
     * (strict: false): no NUL, CR or LF.
     */
    private static void headerRegex(KnownRegex regex, boolean strict, String s, String path, Findings f) {
        if (regex == KnownRegex.UNKNOWN) {
            return;
        }
        if (!strict) {
            require(s.chars().noneMatch(c -> c == 0 || c == '\n' || c == '\r'),
                    "must not contain NUL, CR or LF", path, f);
        } else if (regex == KnownRegex.HTTP_HEADER_NAME) {
            String name = s.startsWith(":") ? s.substring(1) : s;
            require(!name.isEmpty() && name.chars().allMatch(StringRuleChecker::isTokenChar),
                    "must be a valid HTTP header name", path, f);
        } else if (regex == KnownRegex.HTTP_HEADER_VALUE) {
            require(s.chars().noneMatch(c -> c <= 0x08 || c >= 0x0A && c <= 0x1F || c == 0x7F),
                    "must be a valid HTTP header value", path, f);
        } else {
            f.unchecked("string.well_known_regex." + regex, path);
        }
    }

    private static boolean isTokenChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c >= '+' && c <= '.' || "!#$%&'^_|~`".indexOf(c) >= 0;
    }

    static void bytes(BytesRules r, ByteString b, String path, Findings f) {
        RuleFields.reportUnhandled("bytes", r, RuleKinds.BYTES, path, f);
        if (r.getIgnoreEmpty() && b.isEmpty()) {
            return;
        }
        if (r.hasConst() && !b.equals(r.getConst())) {
            f.violation(path, "must equal the const bytes");
        }
        require(!r.hasLen() || b.size() == r.getLen(), "length must be " + r.getLen() + " bytes", path, f);
        require(!r.hasMinLen() || b.size() >= r.getMinLen(), "length must be >= " + r.getMinLen() + " bytes",
                path, f);
        require(!r.hasMaxLen() || b.size() <= r.getMaxLen(), "length must be <= " + r.getMaxLen() + " bytes",
                path, f);
        if (r.hasPattern() && !re2(r.getPattern()).matcher(b.toString(StandardCharsets.ISO_8859_1)).find()) {
            f.violation(path, "must match pattern " + r.getPattern());
        }
        require(!r.hasPrefix() || b.startsWith(r.getPrefix()), "must start with the prefix bytes", path, f);
        require(!r.hasSuffix() || b.endsWith(r.getSuffix()), "must end with the suffix bytes", path, f);
        require(!r.hasContains() || indexOf(b, r.getContains()) >= 0,
                "must contain the given bytes", path, f);
        require(r.getInCount() == 0 || r.getInList().contains(b), "must be one of the allowed values", path, f);
        require(!r.getNotInList().contains(b), "must not be one of the forbidden values", path, f);
        require(!r.getIp() || b.size() == 4 || b.size() == 16, "must be a valid IP address in bytes", path, f);
        require(!r.getIpv4() || b.size() == 4, "must be a valid IPv4 address in bytes", path, f);
        require(!r.getIpv6() || b.size() == 16, "must be a valid IPv6 address in bytes", path, f);
    }

    private static void require(boolean ok, String message, String path, Findings f) {
        if (!ok) {
            f.violation(path, message);
        }
    }

    private static com.google.re2j.Pattern re2(String pattern) {
        return PATTERNS.computeIfAbsent(pattern, com.google.re2j.Pattern::compile);
    }

    private static int indexOf(ByteString haystack, ByteString needle) {
        for (int i = 0; i + needle.size() <= haystack.size(); i++) {
            if (haystack.substring(i, i + needle.size()).equals(needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isIp(String s, int size) {
        return InetAddresses.isInetAddress(s) && InetAddresses.forString(s).getAddress().length == size;
    }

    /** RFC 1034 as PGV checks it: at most 253 characters, labels of 1..63 letters, digits and inner dashes. */
    private static boolean isHostname(String s) {
        String host = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.toLowerCase(java.util.Locale.ROOT).split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
