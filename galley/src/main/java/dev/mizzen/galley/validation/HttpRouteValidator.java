package dev.mizzen.galley.validation;

import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpMirrorPolicy;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.HttpRouteDestination;
import dev.mizzen.api.networking.StringMatch;

import java.util.List;
import java.util.Map;

/**
 * One HTTP route of a VirtualService: what it does (exactly one of route, redirect, direct response, or a
 * delegate in a root VirtualService), its match conditions, header operations, mirrors, weights and timeout.
 * The policies (retries, fault, CORS, redirect, rewrite) are {@link HttpPolicies}.
 */
final class HttpRouteValidator {
    private HttpRouteValidator() {
    }

    /** @param inDelegate the route belongs to a delegate VirtualService (one without hosts) */
    static void check(Findings out, FieldPath at, HttpRoute route, boolean inDelegate) {
        conflicts(out, at, route, inDelegate);
        for (int i = 0; i < route.match().size(); i++) {
            match(out, at.field("match").index(i), route.match().get(i));
        }
        HeaderRules.checkOperations(out, at.field("headers"), route.headers());
        HttpPolicies.checkCors(out, at.field("corsPolicy"), route.corsPolicy());
        HttpPolicies.checkFault(out, at.field("fault"), route.fault());
        mirrors(out, at, route);
        HttpPolicies.checkRedirect(out, at.field("redirect"), route.redirect());
        HttpPolicies.checkDirectResponse(out, at.field("directResponse"), route.directResponse());
        HttpPolicies.checkRetries(out, at.field("retries"), route.retries());
        HttpPolicies.checkRewrite(out, at, route.rewrite(), route.headers());
        destinations(out, at.field("route"), route.route());
        DurationRules.check(out, at.field("timeout"), route.timeout());
    }

    private static void conflicts(Findings out, FieldPath at, HttpRoute route, boolean inDelegate) {
        String name = route.name() == null ? "" : route.name();
        if (!inDelegate && route.delegate() != null) {
            // a root VirtualService's route hands its traffic to the delegate and does nothing itself
            if (route.redirect() != null) {
                out.error(at.field("redirect"), "root HTTP route " + name + " must not specify redirect");
            }
            if (!route.route().isEmpty()) {
                out.error(at.field("route"), "root HTTP route " + name + " must not specify route");
            }
            return;
        }
        if (inDelegate && route.delegate() != null) {
            out.error(at.field("delegate"), "delegate HTTP route cannot contain delegate");
        }
        if (route.redirect() != null) {
            exclusive(out, at, "redirect", !route.route().isEmpty(), route.fault(), route.rewrite(), route.directResponse());
        } else if (route.directResponse() != null) {
            exclusive(out, at, "direct_response", !route.route().isEmpty(), route.fault(), route.rewrite(), null);
        } else if (route.route().isEmpty()) {
            out.error(at, "HTTP route, redirect or direct_response is required");
        }
        if (route.mirror() != null && !route.mirrors().isEmpty()) {
            out.error(at, "HTTP route cannot contain both mirror and mirrors");
        }
    }

    private static void exclusive(Findings out, FieldPath at, String action, boolean hasRoute, Object fault,
                                  Object rewrite, Object directResponse) {
        if (hasRoute) {
            out.error(at, "HTTP route cannot contain both route and " + action);
        }
        if (fault != null) {
            out.error(at, "HTTP route cannot contain both fault and " + action);
        }
        if (rewrite != null) {
            out.error(at, "HTTP route rule cannot contain both rewrite and " + action);
        }
        if (directResponse != null) {
            out.error(at, "HTTP route rule cannot contain both direct_response and " + action);
        }
    }

    private static void match(Findings out, FieldPath at, HttpMatchRequest match) {
        match.headers().forEach((name, sm) -> {
            FieldPath p = at.field("headers").key(name);
            out.errorIf(p, HeaderRules.matchNameError(name));
            checkStringMatch(out, p, sm, false);
        });
        match.withoutHeaders().forEach((name, sm) -> {
            FieldPath p = at.field("withoutHeaders").key(name);
            out.errorIf(p, HeaderRules.matchNameError(name));
            // regex "*" is not RE2 here: it means "header present"
            if (!"*".equals(sm.regex())) {
                checkStringMatch(out, p, sm, false);
            }
        });
        // an empty uri prefix is valid in Envoy, an empty scheme/method/authority prefix is not
        checkStringMatch(out, at.field("uri"), match.uri(), true);
        checkStringMatch(out, at.field("scheme"), match.scheme(), false);
        checkStringMatch(out, at.field("method"), match.method(), false);
        checkStringMatch(out, at.field("authority"), match.authority(), false);
        for (Map.Entry<String, StringMatch> qp : match.queryParams().entrySet()) {
            checkStringMatch(out, at.field("queryParams").key(qp.getKey()), qp.getValue(), false);
        }
        if (match.port() != null && match.port() != 0) {
            Ports.checkNumber(out, at.field("port"), match.port());
        }
        Labels.check(out, at.field("sourceLabels"), match.sourceLabels());
        Destinations.checkGatewayNames(out, at.field("gateways"), match.gateways());
        String ns = match.sourceNamespace();
        if (ns != null && !ns.isEmpty() && !Hosts.isDns1123Label(ns)) {
            out.error(at.field("sourceNamespace"), "sourceNamespace match " + ns + " is invalid");
        }
    }

    /** Exactly one of exact, prefix or regex; regexes must compile; prefixes must not be empty unless allowed. */
    static void checkStringMatch(Findings out, FieldPath at, StringMatch sm, boolean emptyPrefixAllowed) {
        if (sm == null) {
            return;
        }
        if (Enums.countSet(sm.exact(), sm.prefix(), sm.regex()) > 1) {
            out.error(at, "only one of exact, prefix or regex can be set");
        }
        if (sm.prefix() != null && sm.prefix().isEmpty() && !emptyPrefixAllowed) {
            out.error(at.field("prefix"), "prefix string match should not be empty");
        }
        if (sm.regex() != null) {
            if (sm.regex().isEmpty()) {
                out.error(at.field("regex"), "regex string match should not be empty");
            } else {
                out.errorIf(at.field("regex"), Regexes.error(sm.regex()));
            }
        }
    }

    private static void mirrors(Findings out, FieldPath at, HttpRoute route) {
        Integer percent = route.mirrorPercent();
        if (percent != null) {
            if (percent > 100) {
                out.error(at.field("mirrorPercent"), "mirror_percent must have a max value of 100 (it has " + percent + ")");
            } else if (percent < 0) {
                out.error(at.field("mirrorPercent"), "mirror_percent must not be negative (it has " + percent + ")");
            }
            out.warning(at.field("mirrorPercent"), "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
        }
        if (route.mirrorPercentage() != null) {
            percentRange(out, at.field("mirrorPercentage").field("value"), "mirror_percentage", route.mirrorPercentage().value());
        }
        Destinations.check(out, at.field("mirror"), route.mirror());
        List<HttpMirrorPolicy> mirrors = route.mirrors();
        for (int i = 0; i < mirrors.size(); i++) {
            FieldPath p = at.field("mirrors").index(i);
            HttpMirrorPolicy mirror = mirrors.get(i);
            if (mirror.destination() == null) {
                out.error(p.field("destination"), "destination is required for mirrors");
                continue;
            }
            Destinations.check(out, p.field("destination"), mirror.destination());
            if (mirror.percentage() != null) {
                percentRange(out, p.field("percentage").field("value"), "mirror percentage", mirror.percentage().value());
            }
        }
    }

    private static void percentRange(Findings out, FieldPath at, String what, Double value) {
        double v = value == null ? 0 : value;
        if (v > 100) {
            out.error(at, what + " must have a max value of 100 (it has " + v + ")");
        } else if (v < 0) {
            out.error(at, what + " must have a min value of 0 (it has " + v + ")");
        }
    }

    private static void destinations(Findings out, FieldPath at, List<HttpRouteDestination> route) {
        for (int i = 0; i < route.size(); i++) {
            FieldPath p = at.index(i);
            HttpRouteDestination d = route.get(i);
            if (d.destination() == null) {
                out.error(p.field("destination"), "destination is required");
            }
            HeaderRules.checkOperations(out, p.field("headers"), d.headers());
            Destinations.check(out, p.field("destination"), d.destination());
        }
        RouteWeights.check(out, at, route, HttpRouteDestination::weight);
    }
}
