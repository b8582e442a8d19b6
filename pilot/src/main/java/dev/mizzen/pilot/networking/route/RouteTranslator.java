package dev.mizzen.pilot.networking.route;

import com.google.protobuf.UInt32Value;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.Destination;
import dev.mizzen.api.networking.HttpMatchRequest;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.HttpRouteDestination;
import dev.mizzen.api.networking.Percent;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Hostnames;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates a VirtualService's HTTP routes into Envoy routes for one listener port and one proxy:
 * HTTPRoutes in order, one Envoy route per match that applies to this proxy and port. Pure.
 */
public final class RouteTranslator {
    private RouteTranslator() {
    }

    public static List<Route> translate(Config<VirtualService> vs, RouteContext ctx) {
        List<Route> out = new ArrayList<>();
        for (HttpRoute http : vs.spec().http()) {
            if (http.delegate() != null) {
                continue; // delegate VirtualServices are merged by the caller
            }
            if (http.match().isEmpty()) {
                out.add(build(vs, http, null, ctx));
                break; // a route without conditions catches everything: later ones are unreachable
            }
            for (HttpMatchRequest match : http.match()) {
                if (applies(match, vs.namespace(), ctx)) {
                    out.add(build(vs, http, match, ctx));
                }
            }
        }
        return out;
    }

    /** The route a host gets when no VirtualService applies: everything to the service's own cluster. */
    public static Route defaultRoute(ClusterName cluster, RouteContext ctx) {
        RouteAction.Builder action = RouteAction.newBuilder().setCluster(cluster.toString());
        timeout(action, null, ctx);
        RetryPolicies.translate(null, ctx.flavor()).ifPresent(action::setRetryPolicy);
        return Route.newBuilder().setName("default").setMatch(RouteMatches.catchAll()).setRoute(action).build();
    }

    private static boolean applies(HttpMatchRequest match, String vsNamespace, RouteContext ctx) {
        if (match.port() != null && match.port() != ctx.port()) {
            return false;
        }
        if (!match.sourceLabels().isEmpty()
                && !ctx.proxy().labels().entrySet().containsAll(match.sourceLabels().entrySet())) {
            return false;
        }
        if (match.sourceNamespace() != null && !match.sourceNamespace().equals(ctx.proxy().namespace())) {
            return false;
        }
        return match.gateways().isEmpty() || match.gateways().stream()
                .map(g -> g.equals(dev.mizzen.pilot.model.VirtualServiceIndex.MESH_GATEWAY) || g.contains("/") ? g : vsNamespace + "/" + g)
                .anyMatch(ctx.gateway()::equals);
    }

    private static Route build(Config<VirtualService> vs, HttpRoute http, HttpMatchRequest match, RouteContext ctx) {
        Route.Builder route = Route.newBuilder()
                .setMatch(match == null ? RouteMatches.catchAll() : RouteMatches.translate(match));
        String name = routeName(http, match);
        if (!name.isEmpty()) {
            route.setName(name);
        }
        if (http.redirect() != null) {
            route.setRedirect(Redirects.translate(http.redirect()));
        } else if (http.directResponse() != null) {
            route.setDirectResponse(Redirects.directResponse(http.directResponse()));
        } else {
            route.setRoute(action(vs, http, ctx, route));
        }
        if (http.fault() != null) {
            route.putTypedPerFilterConfig(Faults.FILTER_NAME, XdsResource.pack(Faults.translate(http.fault())));
        }
        HeaderOperations.apply(http.headers(), route);
        if (http.corsPolicy() != null && ctx.flavor() == RouteContext.Flavor.ENVOY) {
            route.putTypedPerFilterConfig(CorsPolicies.FILTER_NAME, XdsResource.pack(CorsPolicies.translate(http.corsPolicy())));
        }
        return route.build();
    }

    private static String routeName(HttpRoute http, HttpMatchRequest match) {
        String routeName = http.name() == null ? "" : http.name();
        String matchName = match == null || match.name() == null ? "" : match.name();
        if (!routeName.isEmpty() && !matchName.isEmpty()) {
            return routeName + "." + matchName;
        }
        return routeName.isEmpty() ? matchName : routeName;
    }

    private static RouteAction action(Config<VirtualService> vs, HttpRoute http, RouteContext ctx, Route.Builder route) {
        RouteAction.Builder action = RouteAction.newBuilder();
        List<HttpRouteDestination> destinations = http.route().stream()
                .filter(d -> http.route().size() == 1 || d.weight() == null || d.weight() > 0)
                .toList();
        if (destinations.size() == 1) {
            HttpRouteDestination only = destinations.get(0);
            action.setCluster(cluster(only.destination(), vs, ctx).toString());
            HeaderOperations.apply(only.headers(), route);
        } else {
            WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
            for (HttpRouteDestination d : destinations) {
                WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder()
                        .setName(cluster(d.destination(), vs, ctx).toString())
                        .setWeight(UInt32Value.of(d.weight() == null ? 0 : d.weight()));
                HeaderOperations.apply(d.headers(), cw);
                weighted.addClusters(cw);
            }
            action.setWeightedClusters(weighted);
        }
        timeout(action, http.timeout(), ctx);
        RetryPolicies.translate(http.retries(), ctx.flavor()).ifPresent(action::setRetryPolicy);
        if (http.rewrite() != null) {
            var rewrite = http.rewrite();
            if (rewrite.uri() != null) {
                action.setPrefixRewrite(rewrite.uri());
            }
            if (rewrite.uriRegexRewrite() != null) {
                action.setRegexRewrite(io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute.newBuilder()
                        .setPattern(RouteMatches.regex(rewrite.uriRegexRewrite().match()))
                        .setSubstitution(rewrite.uriRegexRewrite().rewrite()));
            }
            if (rewrite.authority() != null) {
                action.setHostRewriteLiteral(rewrite.authority());
            }
        }
        mirrors(vs, http, ctx, action);
        return action.build();
    }

    private static void timeout(RouteAction.Builder action, String timeout, RouteContext ctx) {
        var duration = timeout == null ? ProtoDurations.millis(0) : ProtoDurations.parse(timeout);
        if (ctx.flavor() == RouteContext.Flavor.GRPC) {
            // gRPC's xDS client reads the deadline from max_stream_duration, not from timeout
            action.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(duration));
        } else {
            action.setTimeout(duration);
        }
    }

    private static void mirrors(Config<VirtualService> vs, HttpRoute http, RouteContext ctx, RouteAction.Builder action) {
        if (http.mirror() != null) {
            action.addRequestMirrorPolicies(mirror(cluster(http.mirror(), vs, ctx), http.mirrorPercentage(), http.mirrorPercent()));
        }
        for (var m : http.mirrors()) {
            if (m.destination() != null) {
                action.addRequestMirrorPolicies(mirror(cluster(m.destination(), vs, ctx), m.percentage(), null));
            }
        }
    }

    private static RouteAction.RequestMirrorPolicy mirror(ClusterName cluster, Percent percentage, Integer legacy) {
        return RouteAction.RequestMirrorPolicy.newBuilder()
                .setCluster(cluster.toString())
                .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                        .setDefaultValue(Faults.percent(percentage, legacy)))
                .build();
    }

    /**
     * The cluster a destination names. Its port: the one written, else the service's only port, else the
     * port being routed. An unknown host or subset still names its cluster; that cluster does not exist,
     * so requests fail there instead of going somewhere else.
     */
    public static ClusterName cluster(Destination destination, Config<VirtualService> vs, RouteContext ctx) {
        String host = Hostnames.resolve(destination.host(), vs.namespace(), ctx.push().mesh().domainSuffix());
        int port = ctx.port();
        if (destination.port() != null && destination.port().number() != null) {
            port = destination.port().number();
        } else {
            Optional<Service> service = ctx.push().service(host);
            if (service.isPresent() && service.get().ports().size() == 1) {
                port = service.get().ports().get(0).port();
            }
        }
        return ClusterName.outbound(port, destination.subset(), host);
    }
}
