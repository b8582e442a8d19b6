package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what a matched route does: target, timeout, retries, fault, mirrors, rewrites. */
final class RouteActions {
    /** Envoy's route timeout when the route sets none. */
    static final String DEFAULT_TIMEOUT = "15s";

    private RouteActions() {
    }

    static RouteTarget target(Route route, Request request) {
        return switch (route.getActionCase()) {
            case ROUTE -> clusters(route.getRoute(), request);
            case REDIRECT -> redirect(route.getRedirect(), route.getMatch(), request);
            case DIRECT_RESPONSE -> new RouteTarget.DirectResponse(route.getDirectResponse().getStatus(),
                    route.getDirectResponse().getBody().getInlineString());
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED, "route action " + route.getActionCase());
        };
    }

    private static RouteTarget clusters(RouteAction action, Request request) {
        return switch (action.getClusterSpecifierCase()) {
            case CLUSTER -> new RouteTarget.Clusters(List.of(new RouteTarget.WeightedCluster(action.getCluster(), 100)));
            case CLUSTER_HEADER -> {
                String name = request.header(action.getClusterHeader());
                if (name == null) {
                    throw new SimulationStop(Failure.Kind.CLUSTER_NOT_FOUND,
                            "cluster_header " + action.getClusterHeader() + " missing from the request");
                }
                yield new RouteTarget.Clusters(List.of(new RouteTarget.WeightedCluster(name, 100)));
            }
            case WEIGHTED_CLUSTERS -> new RouteTarget.Clusters(action.getWeightedClusters().getClustersList().stream()
                    .map(c -> new RouteTarget.WeightedCluster(c.getName(), c.hasWeight() ? c.getWeight().getValue() : 0))
                    .toList());
            default -> throw new SimulationStop(Failure.Kind.UNSUPPORTED,
                    "cluster specifier " + action.getClusterSpecifierCase());
        };
    }

    private static RouteTarget redirect(RedirectAction r, RouteMatch match, Request request) {
        String scheme = r.getHttpsRedirect() ? "https" : !r.getSchemeRedirect().isEmpty() ? r.getSchemeRedirect()
                : request.tls() == TlsMode.PLAINTEXT ? "http" : "https";
        String host = r.getHostRedirect().isEmpty() ? VirtualHostSelector.stripPort(request.authority())
                : r.getHostRedirect();
        String port = r.getPortRedirect() != 0 ? ":" + r.getPortRedirect() : "";
        String path = switch (r.getPathRewriteSpecifierCase()) {
            case PATH_REDIRECT -> r.getPathRedirect();
            case PREFIX_REWRITE -> match.hasPrefix() ? r.getPrefixRewrite()
                    + request.path().substring(Math.min(match.getPrefix().length(), request.path().length()))
                    : r.getPrefixRewrite();
            case REGEX_REWRITE -> "(regex rewrite of " + request.path() + ")";
            default -> request.path();
        };
        int code = switch (r.getResponseCode()) {
            case FOUND -> 302;
            case SEE_OTHER -> 303;
            case TEMPORARY_REDIRECT -> 307;
            case PERMANENT_REDIRECT -> 308;
            default -> 301;
        };
        return new RouteTarget.Redirect(code, scheme + "://" + host + port + path);
    }

    static String timeout(Route route) {
        return route.hasRoute() && route.getRoute().hasTimeout() ? Durations.toString(route.getRoute().getTimeout())
                : route.hasRoute() ? DEFAULT_TIMEOUT : null;
    }

    /** The route's retry policy, else the virtual host's. num_retries defaults to 1 when a policy is set. */
    static RetryInfo retry(Route route, VirtualHost vhost) {
        RetryPolicy p = route.hasRoute() && route.getRoute().hasRetryPolicy() ? route.getRoute().getRetryPolicy()
                : vhost.hasRetryPolicy() ? vhost.getRetryPolicy() : null;
        if (p == null) {
            return null;
        }
        return new RetryInfo(p.hasNumRetries() ? p.getNumRetries().getValue() : 1, p.getRetryOn(),
                p.hasPerTryTimeout() ? Durations.toString(p.getPerTryTimeout()) : "");
    }

    /** The most specific per-filter config for the fault filter: route, then virtual host, then route config. */
    static FaultInfo fault(String faultFilterName, Route route, VirtualHost vhost, RouteConfiguration config) {
        if (faultFilterName == null) {
            return null;
        }
        for (Map<String, Any> perFilter : List.of(route.getTypedPerFilterConfigMap(),
                vhost.getTypedPerFilterConfigMap(), config.getTypedPerFilterConfigMap())) {
            Any any = perFilter.get(faultFilterName);
            if (any != null) {
                return TypedConfigs.unpack(any, HTTPFault.class).map(RouteActions::fault).orElse(null);
            }
        }
        return null;
    }

    private static FaultInfo fault(HTTPFault f) {
        String delay = f.hasDelay() && f.getDelay().hasFixedDelay() ? Durations.toString(f.getDelay().getFixedDelay())
                : f.hasDelay() ? "(from header)" : "";
        int abort = !f.hasAbort() ? 0 : f.getAbort().getHttpStatus() != 0 ? f.getAbort().getHttpStatus()
                : f.getAbort().getGrpcStatus() != 0 ? f.getAbort().getGrpcStatus() : -1;
        return new FaultInfo(delay, percent(f.getDelay().getPercentage()), abort,
                percent(f.getAbort().getPercentage()));
    }

    private static double percent(FractionalPercent p) {
        double denominator = switch (p.getDenominator()) {
            case TEN_THOUSAND -> 10_000;
            case MILLION -> 1_000_000;
            default -> 100;
        };
        return p.getNumerator() * 100.0 / denominator;
    }

    static List<String> mirrors(Route route) {
        return route.hasRoute() ? route.getRoute().getRequestMirrorPoliciesList().stream()
                .map(m -> m.getCluster() + (m.hasRuntimeFraction()
                        ? " " + percent(m.getRuntimeFraction().getDefaultValue()) + "%" : "")).toList()
                : List.of();
    }

    static String rewrite(Route route) {
        if (!route.hasRoute()) {
            return "";
        }
        RouteAction a = route.getRoute();
        List<String> out = new ArrayList<>();
        if (!a.getPrefixRewrite().isEmpty()) {
            out.add("prefix_rewrite " + a.getPrefixRewrite());
        }
        if (a.hasRegexRewrite()) {
            out.add("regex_rewrite " + a.getRegexRewrite().getPattern().getRegex() + " -> "
                    + a.getRegexRewrite().getSubstitution());
        }
        if (!a.getHostRewriteLiteral().isEmpty()) {
            out.add("host_rewrite " + a.getHostRewriteLiteral());
        }
        return String.join(", ", out);
    }
}
