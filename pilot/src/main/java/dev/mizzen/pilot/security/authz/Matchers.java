package dev.mizzen.pilot.security.authz;

import com.google.common.net.InetAddresses;
import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Envoy RBAC matcher per value (or per value list, for extended attributes): Istio's generators
 * ({@code pilot/pkg/security/authz/model/generator.go}). Pure.
 */
final class Matchers {
    private static final String SPIFFE = "spiffe://";
    private static final String MATCH_ONE_TEMPLATE = "{*}";
    private static final String MATCH_ANY_TEMPLATE = "{**}";

    private Matchers() {
    }

    static Permission permission(Attribute attribute, String key, String value, RuleTarget target) throws Unsupported {
        attribute.checkSupported(target, key);
        return switch (attribute) {
            case DESTINATION_IP -> Permission.newBuilder().setDestinationIp(cidr(value)).build();
            case DESTINATION_PORT -> Permission.newBuilder().setDestinationPort(port(value)).build();
            case CONNECTION_SNI -> Permission.newBuilder().setRequestedServerName(StringMatchers.of(value)).build();
            case HOST -> Permission.newBuilder().setHeader(StringMatchers.host(":authority", value)).build();
            case METHOD -> Permission.newBuilder().setHeader(StringMatchers.header(":method", value)).build();
            case PATH -> path(value, target);
            default -> throw Unsupported.invalid("\"" + key + "\" is not a permission");
        };
    }

    static Principal principal(Attribute attribute, String key, String value, String policyNamespace, RuleTarget target)
            throws Unsupported {
        attribute.checkSupported(target, key);
        return switch (attribute) {
            case SOURCE_IP -> Principal.newBuilder().setDirectRemoteIp(cidr(value)).build();
            case REMOTE_IP -> Principal.newBuilder().setRemoteIp(cidr(value)).build();
            case SOURCE_NAMESPACE -> authenticated(StringMatchers.regex(".*/ns/" + value.replace("*", ".*") + "/.*"));
            case SOURCE_SERVICE_ACCOUNT -> authenticated(StringMatchers.regex(serviceAccountRegex(policyNamespace, value)));
            case SOURCE_TRUST_DOMAIN -> authenticated(StringMatchers.regex(
                    "spiffe://" + value.replace(".", "\\.").replace("*", ".*") + "/.*"));
            case SOURCE_PRINCIPAL -> authenticated(StringMatchers.withPrefix(value, SPIFFE));
            case REQUEST_HEADER -> {
                String header = nameInBrackets(key.substring(Attribute.REQUEST_HEADER.key.length()));
                String lower = header.toLowerCase(Locale.ROOT);
                if (target == RuleTarget.PROXYLESS_GRPC && (lower.startsWith("grpc-") || lower.equals(":scheme"))) {
                    throw Unsupported.onTarget("header " + header + " is not supported by proxyless gRPC");
                }
                yield Principal.newBuilder().setHeader(StringMatchers.header(header, value)).build();
            }
            default -> throw Unsupported.invalid("\"" + key + "\" is not a principal");
        };
    }

    /** Istio's extendedPermission: only {@code experimental.envoy.filters.a.b[c]}. */
    static Permission extendedPermission(Attribute attribute, String key, List<String> values, RuleTarget target)
            throws Unsupported {
        attribute.checkSupported(target, key);
        if (attribute != Attribute.ENVOY_FILTER) {
            throw Unsupported.invalid("\"" + key + "\" is not a permission");
        }
        String trimmed = key.substring("experimental.".length());
        if (trimmed.endsWith("]")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String[] parts = trimmed.split("\\[", 2);
        if (parts.length != 2) {
            throw Unsupported.invalid("invalid key: " + key);
        }
        List<ValueMatcher> matchers = new ArrayList<>();
        for (String value : values) {
            if (value.startsWith("[") && value.endsWith("]")) {
                String inner = value.substring(1, value.length() - 1);
                matchers.add(ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder()
                        .setOneOf(StringMatchers.stringValue(StringMatchers.of(inner)))).build());
            } else {
                matchers.add(StringMatchers.stringValue(StringMatchers.of(value)));
            }
        }
        return Permission.newBuilder().setMetadata(StringMatchers.metadata(parts[0], List.of(parts[1]),
                StringMatchers.or(matchers))).build();
    }

    /** Istio's extendedPrincipal: request principals, audiences, presenter and claims from the JWT payload. */
    static Principal extendedPrincipal(Attribute attribute, String key, List<String> values, RuleTarget target)
            throws Unsupported {
        attribute.checkSupported(target, key);
        return switch (attribute) {
            case REQUEST_PRINCIPAL -> requestPrincipals(values);
            case REQUEST_AUDIENCES -> Principal.newBuilder().setMetadata(StringMatchers.jwtClaimList(List.of("aud"),
                    StringMatchers.stringOr(values))).build();
            case REQUEST_PRESENTER -> Principal.newBuilder().setMetadata(StringMatchers.jwtClaimList(List.of("azp"),
                    StringMatchers.stringOr(values))).build();
            case REQUEST_CLAIMS -> Principal.newBuilder().setMetadata(StringMatchers.jwtClaimList(
                    nestedClaims(key.substring(Attribute.REQUEST_CLAIMS.key.length())),
                    StringMatchers.stringOr(values))).build();
            default -> throw Unsupported.invalid("\"" + key + "\" is not a principal");
        };
    }

    /** {@code iss/sub}, split at the last {@code /} (the issuer may be a URL), each with its own wildcards. */
    private static Principal requestPrincipals(List<String> values) {
        List<Principal> or = new ArrayList<>();
        for (String value : values) {
            int idx = value.lastIndexOf('/');
            boolean found = idx >= 0;
            String iss = found ? value.substring(0, idx) : value;
            String sub = found ? value.substring(idx + 1) : "";
            io.envoyproxy.envoy.type.matcher.v3.StringMatcher matchIss;
            io.envoyproxy.envoy.type.matcher.v3.StringMatcher matchSub;
            io.envoyproxy.envoy.type.matcher.v3.StringMatcher any = StringMatchers.regex(".+");
            if (value.equals("*")) {
                matchIss = any;
                matchSub = any;
            } else if (value.startsWith("*")) {
                if (found) {
                    matchIss = iss.equals("*") ? any : StringMatchers.suffix(iss.substring(1));
                    matchSub = StringMatchers.exact(sub);
                } else {
                    matchIss = any;
                    matchSub = StringMatchers.suffix(value.substring(1));
                }
            } else if (value.endsWith("*")) {
                if (found) {
                    matchIss = StringMatchers.exact(iss);
                    matchSub = sub.equals("*") ? any : StringMatchers.prefix(sub.substring(0, sub.length() - 1));
                } else {
                    matchIss = StringMatchers.prefix(value.substring(0, value.length() - 1));
                    matchSub = any;
                }
            } else {
                matchIss = StringMatchers.exact(iss);
                matchSub = StringMatchers.exact(sub);
            }
            or.add(Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
                    .addIds(Principal.newBuilder().setMetadata(StringMatchers.jwtClaim("iss", matchIss)))
                    .addIds(Principal.newBuilder().setMetadata(StringMatchers.jwtClaim("sub", matchSub)))).build());
        }
        return or.size() == 1 ? or.get(0)
                : Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(or)).build();
    }

    private static Permission path(String value, RuleTarget target) throws Unsupported {
        if (value.contains(MATCH_ONE_TEMPLATE) || value.contains(MATCH_ANY_TEMPLATE)) {
            if (target == RuleTarget.PROXYLESS_GRPC) {
                throw Unsupported.onTarget("path templates are not supported by proxyless gRPC");
            }
            String template = value.replace(MATCH_ANY_TEMPLATE, "**").replace(MATCH_ONE_TEMPLATE, "*");
            return Permission.newBuilder().setUriTemplate(TypedExtensionConfig.newBuilder().setName("uri-template")
                    .setTypedConfig(Any.pack(UriTemplateMatchConfig.newBuilder().setPathTemplate(template).build())))
                    .build();
        }
        return Permission.newBuilder().setUrlPath(StringMatchers.path(value)).build();
    }

    private static Principal authenticated(io.envoyproxy.envoy.type.matcher.v3.StringMatcher name) {
        return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name)).build();
    }

    /** {@code spiffe://.+/ns/<ns>/(.+/|)sa/<sa>(/.+)?}; a value without {@code ns/} uses the policy's namespace. */
    static String serviceAccountRegex(String defaultNamespace, String value) {
        int slash = value.indexOf('/');
        String ns = slash < 0 ? defaultNamespace : value.substring(0, slash);
        String sa = slash < 0 ? value : value.substring(slash + 1);
        return "spiffe://.+/ns/" + ns + "/(.+/|)sa/" + sa + "(/.+)?";
    }

    /** Istio's AddrStrToCidrRange: an address is a /32 (or /128), the address is kept as written. */
    static CidrRange cidr(String value) throws Unsupported {
        String address = value;
        int length;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            address = value.substring(0, slash);
            try {
                length = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw Unsupported.invalid("invalid CIDR " + value);
            }
        } else {
            length = -1;
        }
        if (!InetAddresses.isInetAddress(address)) {
            throw Unsupported.invalid("invalid IP address " + value);
        }
        InetAddress ip = InetAddresses.forString(address);
        int bits = ip.getAddress().length * 8;
        if (length < 0) {
            length = bits;
        }
        if (length > bits) {
            throw Unsupported.invalid("invalid CIDR " + value);
        }
        return CidrRange.newBuilder().setAddressPrefix(InetAddresses.toAddrString(ip))
                .setPrefixLen(UInt32Value.of(length)).build();
    }

    static int port(String value) throws Unsupported {
        try {
            long p = Long.parseLong(value);
            if (p < 0 || p > 65535) {
                throw Unsupported.invalid("invalid port " + value);
            }
            return (int) p;
        } catch (NumberFormatException e) {
            throw Unsupported.invalid("invalid port " + value);
        }
    }

    static String nameInBrackets(String s) throws Unsupported {
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw Unsupported.invalid("expecting format [<NAME>], but found " + s);
        }
        return s.substring(1, s.length() - 1);
    }

    /** {@code [a][b]} as {@code [a, b]}; a single {@code [a.b]} stays one claim, as in Istio. */
    static List<String> nestedClaims(String s) throws Unsupported {
        List<String> claims = new ArrayList<>();
        int begin = 0;
        while (begin < s.length()) {
            int end = endBracket(s, begin);
            if (end < 0) {
                return List.of(nameInBrackets(s));
            }
            claims.add(s.substring(begin + 1, end));
            begin = end + 1;
        }
        if (claims.isEmpty()) {
            throw Unsupported.invalid("expecting format [<NAME>], but found " + s);
        }
        return claims;
    }

    private static int endBracket(String s, int begin) {
        if (begin >= s.length() || s.charAt(begin) != '[') {
            return -1;
        }
        for (int i = begin + 1; i < s.length(); i++) {
            if (s.charAt(i) == '[') {
                return -1;
            }
            if (s.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }
}
