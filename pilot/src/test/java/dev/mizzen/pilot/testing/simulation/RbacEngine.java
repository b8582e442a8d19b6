package dev.mizzen.pilot.testing.simulation;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Envoy's RBAC engine ({@code envoy.config.rbac.v3}): a policy matches when one of its permissions and one
 * of its principals match; ALLOW allows when a policy matches, DENY denies when one does, LOG never
 * decides. Policies are tried in name order (Envoy iterates a map), so the first match is deterministic.
 * Matchers: and/or/not, any, header, url_path, uri_template, destination IP and port, requested server name,
 * dynamic metadata; authenticated principal name (the URI SAN; never with plaintext), direct and original
 * (x-forwarded-for) remote IP. Anything else stops the simulation. Stateless.
 */
public final class RbacEngine {
    private RbacEngine() {
    }

    /** The name of the first matching policy, if any. */
    public static Optional<String> matchedPolicy(RBAC rbac, SecurityRequest request, Map<String, Map<String, Object>> metadata) {
        for (Map.Entry<String, Policy> e : new TreeMap<>(rbac.getPoliciesMap()).entrySet()) {
            Policy p = e.getValue();
            if (p.getPermissionsList().stream().anyMatch(x -> permission(x, request, metadata))
                    && p.getPrincipalsList().stream().anyMatch(x -> principal(x, request, metadata))) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** True when the rules let the request through. */
    public static boolean allows(RBAC rbac, SecurityRequest request, Map<String, Map<String, Object>> metadata) {
        boolean matched = matchedPolicy(rbac, request, metadata).isPresent();
        return switch (rbac.getAction()) {
            case ALLOW -> matched;
            case DENY -> !matched;
            case LOG -> true;
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "RBAC action " + rbac.getAction());
        };
    }

    static boolean permission(Permission p, SecurityRequest r, Map<String, Map<String, Object>> md) {
        return switch (p.getRuleCase()) {
            case AND_RULES -> p.getAndRules().getRulesList().stream().allMatch(x -> permission(x, r, md));
            case OR_RULES -> p.getOrRules().getRulesList().stream().anyMatch(x -> permission(x, r, md));
            case NOT_RULE -> !permission(p.getNotRule(), r, md);
            case ANY -> p.getAny();
            case HEADER -> header(p.getHeader(), r);
            case URL_PATH -> r.path() != null && Matchers.string(p.getUrlPath().getPath(), Matchers.withoutQuery(r.path()));
            case URI_TEMPLATE -> r.path() != null && uriTemplate(p.getUriTemplate().getTypedConfig(), r.path());
            case DESTINATION_IP -> Cidr.of(p.getDestinationIp()).contains(r.destinationIp());
            case DESTINATION_PORT -> p.getDestinationPort() == r.destinationPort();
            case REQUESTED_SERVER_NAME -> Matchers.string(p.getRequestedServerName(), r.sni());
            case METADATA -> metadata(p.getMetadata(), md);
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "RBAC permission " + p.getRuleCase());
        };
    }

    static boolean principal(Principal p, SecurityRequest r, Map<String, Map<String, Object>> md) {
        return switch (p.getIdentifierCase()) {
            case AND_IDS -> p.getAndIds().getIdsList().stream().allMatch(x -> principal(x, r, md));
            case OR_IDS -> p.getOrIds().getIdsList().stream().anyMatch(x -> principal(x, r, md));
            case NOT_ID -> !principal(p.getNotId(), r, md);
            case ANY -> p.getAny();
            case AUTHENTICATED -> r.principal() != null && (!p.getAuthenticated().hasPrincipalName()
                    || Matchers.string(p.getAuthenticated().getPrincipalName(), r.principal()));
            case DIRECT_REMOTE_IP -> Cidr.of(p.getDirectRemoteIp()).contains(r.sourceIp());
            case REMOTE_IP -> Cidr.of(p.getRemoteIp()).contains(r.remoteIp());
            case HEADER -> header(p.getHeader(), r);
            case METADATA -> metadata(p.getMetadata(), md);
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "RBAC principal " + p.getIdentifierCase());
        };
    }

    /** Envoy's header matching: a present match checks existence; others fail on a missing header. */
    @SuppressWarnings("deprecation")
    static boolean header(HeaderMatcher m, SecurityRequest r) {
        String value = r.header(m.getName());
        boolean match;
        switch (m.getHeaderMatchSpecifierCase()) {
            case PRESENT_MATCH -> match = (value != null) == m.getPresentMatch();
            case HEADERMATCHSPECIFIER_NOT_SET -> match = value != null;
            default -> {
                if (value == null) {
                    return false;
                }
                match = switch (m.getHeaderMatchSpecifierCase()) {
                    case EXACT_MATCH -> value.equals(m.getExactMatch());
                    case PREFIX_MATCH -> value.startsWith(m.getPrefixMatch());
                    case SUFFIX_MATCH -> value.endsWith(m.getSuffixMatch());
                    case CONTAINS_MATCH -> value.contains(m.getContainsMatch());
                    case SAFE_REGEX_MATCH -> Matchers.regex(m.getSafeRegexMatch(), value);
                    case STRING_MATCH -> Matchers.string(m.getStringMatch(), value);
                    default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "header matcher "
                            + m.getHeaderMatchSpecifierCase());
                };
            }
        }
        return match != m.getInvertMatch();
    }

    /** Envoy's URI template: {@code *} one segment, {@code **} any number of segments. */
    static boolean uriTemplate(com.google.protobuf.Any config, String path) {
        UriTemplateMatchConfig c = TypedConfigs.unpack(config, UriTemplateMatchConfig.class)
                .orElseThrow(() -> new SimulationStop(Failure.Kind.CONFIG_REJECTED, "uri_template without its config"));
        StringBuilder regex = new StringBuilder();
        String[] segments = c.getPathTemplate().split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                regex.append('/');
            }
            String s = segments[i];
            regex.append(s.equals("**") ? ".*" : s.equals("*") ? "[^/]+" : java.util.regex.Pattern.quote(s));
        }
        return java.util.regex.Pattern.matches(regex.toString(), Matchers.withoutQuery(path));
    }

    @SuppressWarnings("unchecked")
    static boolean metadata(MetadataMatcher m, Map<String, Map<String, Object>> md) {
        Object value = md.get(m.getFilter());
        for (MetadataMatcher.PathSegment segment : m.getPathList()) {
            value = value instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(segment.getKey()) : null;
        }
        boolean match = value != null && value(m.getValue(), value);
        return match != m.getInvert();
    }

    static boolean value(ValueMatcher m, Object value) {
        return switch (m.getMatchPatternCase()) {
            case STRING_MATCH -> value instanceof String s && Matchers.string(m.getStringMatch(), s);
            case LIST_MATCH -> value instanceof List<?> list && list.stream().anyMatch(v -> value(m.getListMatch().getOneOf(), v));
            case OR_MATCH -> m.getOrMatch().getValueMatchersList().stream().anyMatch(x -> value(x, value));
            case PRESENT_MATCH -> m.getPresentMatch();
            case BOOL_MATCH -> value instanceof Boolean b && b == m.getBoolMatch();
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "value matcher " + m.getMatchPatternCase());
        };
    }
}
