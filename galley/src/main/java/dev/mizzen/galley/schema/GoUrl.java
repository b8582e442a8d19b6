package dev.mizzen.galley.schema;

import java.util.Locale;

/**
 * A URL as Go's {@code net/url} reads it, for the Kubernetes CEL functions {@code url()} and {@code isURL()}
 * (k8s.io/apiserver/pkg/cel/library/urls.go): they accept what {@code url.ParseRequestURI} accepts, an
 * absolute URL or an absolute path, and a rule then asks for parts such as {@code getScheme()}. Only the
 * checks of Go's parser that decide acceptance and the parts the rules read are ported: control characters,
 * the scheme, opaque URLs, the authority (user info, host characters, a numeric port), percent escapes.
 *
 * @param scheme   lower-cased, empty when there is none
 * @param host     the host with its port, as written (brackets kept), empty when there is none
 * @param path     the path as written
 */
public record GoUrl(String scheme, String host, String path) {

    /** Go's {@code url.ParseRequestURI}. */
    public static GoUrl parseRequestUri(String raw) throws InvalidUrl {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < ' ' || c == 0x7f) {
                throw new InvalidUrl("invalid control character in URL");
            }
        }
        if (raw.isEmpty()) {
            throw new InvalidUrl("empty url");
        }
        if (raw.equals("*")) {
            return new GoUrl("", "", "*");
        }
        String scheme = "";
        String rest = raw;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                continue;
            }
            if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break;
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    throw new InvalidUrl("missing protocol scheme");
                }
                scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
                rest = raw.substring(i + 1);
            }
            break;
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new GoUrl(scheme, "", "");
            }
            throw new InvalidUrl("invalid URI for request");
        }
        String host = "";
        if (!scheme.isEmpty() && rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            rest = slash >= 0 ? authority.substring(slash) : "";
            authority = slash >= 0 ? authority.substring(0, slash) : authority;
            host = parseAuthority(authority);
        }
        unescape(rest, false);
        return new GoUrl(scheme, host, rest);
    }

    /** The host without its port and without IPv6 brackets, as Go's {@code URL.Hostname()}. */
    public String hostname() {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host.substring(1) : host.substring(1, close);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The port, empty when there is none, as Go's {@code URL.Port()}. */
    public String port() {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || (host.startsWith("[") && colon < host.lastIndexOf(']'))) {
            return "";
        }
        return host.substring(colon + 1);
    }

    private static String parseAuthority(String authority) throws InvalidUrl {
        int at = authority.lastIndexOf('@');
        String host = at < 0 ? authority : authority.substring(at + 1);
        parseHost(host);
        if (at >= 0) {
            String userinfo = authority.substring(0, at);
            for (int i = 0; i < userinfo.length(); i++) {
                char c = userinfo.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                        || "-._:~!$&'()*+,;=%@".indexOf(c) >= 0)) {
                    throw new InvalidUrl("invalid userinfo");
                }
            }
            unescape(userinfo, false);
        }
        return host;
    }

    private static void parseHost(String host) throws InvalidUrl {
        String port;
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                throw new InvalidUrl("missing ']' in host");
            }
            port = host.substring(close + 1);
        } else {
            int colon = host.lastIndexOf(':');
            port = colon < 0 ? "" : host.substring(colon);
        }
        if (!port.isEmpty() && (port.charAt(0) != ':' || !port.substring(1).chars().allMatch(Character::isDigit))) {
            throw new InvalidUrl("invalid port \"" + port + "\" after host");
        }
        unescape(host, true);
    }

    /** Go's {@code unescape}: only checks that percent escapes are well formed and host characters allowed. */
    private static void unescape(String s, boolean host) throws InvalidUrl {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    throw new InvalidUrl("invalid URL escape \"" + s.substring(i, Math.min(s.length(), i + 3)) + "\"");
                }
                if (host && hex(s.charAt(i + 1)) < 8 && !s.startsWith("%25", i)) {
                    throw new InvalidUrl("invalid URL escape \"" + s.substring(i, i + 3) + "\"");
                }
                i += 2;
            } else if (host && c < 0x80 && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-_.~!$&'()*+,;=:[]<>\"".indexOf(c) >= 0)) {
                throw new InvalidUrl("invalid character \"" + c + "\" in host name");
            }
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** Go's parse error. */
    public static final class InvalidUrl extends Exception {
        public InvalidUrl(String message) {
            super(message);
        }
    }
}
