package dev.mizzen.galley.validation;

import dev.mizzen.api.envoy.PatchObjects;
import dev.mizzen.api.networking.EnvoyFilter;
import dev.mizzen.api.networking.EnvoyFilter.EnvoyConfigObjectMatch;
import dev.mizzen.api.networking.EnvoyFilter.EnvoyConfigObjectPatch;
import dev.mizzen.api.networking.EnvoyFilter.FilterMatch;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * EnvoyFilter (Istio's pkg/config/validation/envoyfilter): always a warning that it reaches into internals; a
 * selector of labels; each patch with an applyTo, an operation and (but for REMOVE) a value; a proxy version
 * regex that compiles; a match of the class its applyTo patches; sub-filter matches only under the HTTP
 * connection manager; and a value that reads as the Envoy message applyTo names, with every {@code @type}
 * known. Unknown fields are only a warning, as in Istio (a newer Envoy may have them).
 */
final class EnvoyFilterValidator implements KindValidator<EnvoyFilter> {
    static final String HCM = "envoy.filters.network.http_connection_manager";
    private static final Set<String> APPLY_TO = Set.of("LISTENER", "FILTER_CHAIN", "NETWORK_FILTER", "HTTP_FILTER",
            "ROUTE_CONFIGURATION", "VIRTUAL_HOST", "HTTP_ROUTE", "CLUSTER", "EXTENSION_CONFIG", "BOOTSTRAP",
            "LISTENER_FILTER");
    private static final Set<String> OPERATIONS = Set.of("MERGE", "ADD", "REMOVE", "INSERT_BEFORE", "INSERT_AFTER",
            "INSERT_FIRST", "REPLACE", "MERGE_AND_REPLACE_LIST");
    private static final Set<String> CONTEXTS = Set.of("ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY", "WAYPOINT");
    private static final Set<String> FILTER_CLASSES = Set.of("UNSPECIFIED", "AUTHN", "AUTHZ", "STATS");
    private static final Set<String> LISTENER_CLASS = Set.of("LISTENER", "FILTER_CHAIN", "NETWORK_FILTER", "HTTP_FILTER");
    private static final Set<String> ROUTE_CLASS = Set.of("ROUTE_CONFIGURATION", "VIRTUAL_HOST", "HTTP_ROUTE");
    /** Envoy's old filter names (Istio's xds.ReverseDeprecatedFilterNames): still matched, with a warning */
    private static final Map<String, String> DEPRECATED_NAMES = Map.of(
            "envoy.http_connection_manager", HCM,
            "envoy.router", "envoy.filters.http.router",
            "envoy.lua", "envoy.filters.http.lua",
            "envoy.cors", "envoy.filters.http.cors",
            "envoy.fault", "envoy.filters.http.fault",
            "envoy.tcp_proxy", "envoy.filters.network.tcp_proxy",
            "envoy.ext_authz", "envoy.filters.http.ext_authz",
            "envoy.rate_limit", "envoy.filters.http.ratelimit",
            "envoy.listener.tls_inspector", "envoy.filters.listener.tls_inspector",
            "envoy.listener.http_inspector", "envoy.filters.listener.http_inspector");

    @Override
    public void validate(EnvoyFilter filter, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        out.warning(spec, "EnvoyFilter exposes internal implementation details that may change at any time. "
                + "Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.");
        if (filter.workloadSelector() != null) {
            Labels.checkSelector(out, spec.field("workloadSelector").field("labels"), filter.workloadSelector().labels(),
                    "Envoy filter: workload selector specified without labels, will be applied to all services in namespace");
        }
        for (int i = 0; i < filter.configPatches().size(); i++) {
            patch(out, spec.field("configPatches").index(i), filter.configPatches().get(i));
        }
    }

    private static void patch(Findings out, FieldPath at, EnvoyConfigObjectPatch cp) {
        String applyTo = cp.applyTo() == null ? "INVALID" : cp.applyTo();
        if (applyTo.equals("INVALID")) {
            out.error(at.field("applyTo"), "Envoy filter: missing applyTo");
            return;
        }
        Enums.check(out, at.field("applyTo"), applyTo, APPLY_TO);
        if (cp.patch() == null) {
            out.error(at.field("patch"), "Envoy filter: missing patch");
            return;
        }
        String operation = cp.patch().operation() == null ? "INVALID" : cp.patch().operation();
        if (operation.equals("INVALID")) {
            out.error(at.field("patch").field("operation"), "Envoy filter: missing patch operation");
            return;
        }
        Enums.check(out, at.field("patch").field("operation"), operation, OPERATIONS);
        Enums.check(out, at.field("patch").field("filterClass"), cp.patch().filterClass(), FILTER_CLASSES);
        if (!operation.equals("REMOVE") && cp.patch().value() == null) {
            out.error(at.field("patch").field("value"), "Envoy filter: missing patch value for non-remove operation");
            return;
        }
        EnvoyConfigObjectMatch match = cp.match();
        if (match != null) {
            Enums.check(out, at.field("match").field("context"), match.context(), CONTEXTS);
            if (match.proxy() != null && match.proxy().proxyVersion() != null && !match.proxy().proxyVersion().isEmpty()) {
                try {
                    Pattern.compile(match.proxy().proxyVersion());
                } catch (PatternSyntaxException e) {
                    out.error(at.field("match").field("proxy").field("proxyVersion"),
                            "Envoy filter: invalid regex for proxy version, [" + e.getDescription() + "]");
                    return;
                }
            }
            if (!matchLinesUp(out, at.field("match"), applyTo, match)) {
                return;
            }
        }
        if (APPLY_TO.contains(applyTo) && cp.patch().value() != null) {
            value(out, at.field("patch").field("value"), applyTo, cp.patch().value());
        }
    }

    /** Istio's "ensure that applyTo, match and patch all line up"; false when the patch is refused. */
    private static boolean matchLinesUp(Findings out, FieldPath at, String applyTo, EnvoyConfigObjectMatch match) {
        boolean hasObjectType = match.listener() != null || match.routeConfiguration() != null || match.cluster() != null;
        // a waypoint match selects listeners, routes and clusters of a waypoint alike (Istio's corpus has both)
        if (!hasObjectType || match.waypoint() != null) {
            return true;
        }
        if (LISTENER_CLASS.contains(applyTo)) {
            if (match.listener() == null) {
                out.error(at, "Envoy filter: applyTo for listener class objects cannot have non listener match");
                return false;
            }
            if (match.listener().filterChain() != null && match.listener().filterChain().filter() != null) {
                FilterMatch filter = match.listener().filterChain().filter();
                FieldPath fp = at.field("listener").field("filterChain").field("filter");
                if (applyTo.equals("LISTENER") || applyTo.equals("FILTER_CHAIN")) {
                    out.warning(fp, "Envoy filter: filter match has no effect when used with " + applyTo);
                }
                if (filter.name() == null || filter.name().isEmpty()) {
                    out.error(fp.field("name"), "Envoy filter: filter match has no name to match on");
                    return false;
                }
                if (filter.subFilter() != null) {
                    if (!applyTo.equals("HTTP_FILTER")) {
                        out.error(fp.field("subFilter"), "Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only");
                        return false;
                    }
                    if (!filter.name().equals(HCM) && !filter.name().equals("envoy.http_connection_manager")) {
                        out.error(fp.field("subFilter"), "Envoy filter: subfilter match requires filter match with " + HCM);
                        return false;
                    }
                    if (filter.subFilter().name() == null || filter.subFilter().name().isEmpty()) {
                        out.error(fp.field("subFilter").field("name"), "Envoy filter: subfilter match has no name to match on");
                        return false;
                    }
                }
                deprecatedName(out, fp.field("name"), filter.name());
                if (filter.subFilter() != null) {
                    deprecatedName(out, fp.field("subFilter").field("name"), filter.subFilter().name());
                }
            }
        } else if (ROUTE_CLASS.contains(applyTo)) {
            if (match.routeConfiguration() == null) {
                out.error(at, "Envoy filter: applyTo for http route class objects cannot have non route configuration match");
            }
        } else if (applyTo.equals("CLUSTER") && match.cluster() == null) {
            out.error(at, "Envoy filter: applyTo for cluster class objects cannot have non cluster match");
        }
        return true;
    }

    private static void deprecatedName(Findings out, FieldPath at, String name) {
        String replacement = DEPRECATED_NAMES.get(name);
        if (replacement != null) {
            out.warning(at, "using deprecated filter name \"" + name + "\"; use \"" + replacement + "\" instead");
        }
    }

    private static void value(Findings out, FieldPath at, String applyTo, Map<String, Object> value) {
        try {
            PatchObjects.build(applyTo, value, PatchObjects.Strictness.LENIENT);
        } catch (PatchObjects.InvalidPatchValue e) {
            out.error(at, e.getMessage());
            return;
        }
        try {
            PatchObjects.build(applyTo, value, PatchObjects.Strictness.STRICT);
        } catch (PatchObjects.InvalidPatchValue e) {
            out.warning(at, e.getMessage());
        }
    }
}
