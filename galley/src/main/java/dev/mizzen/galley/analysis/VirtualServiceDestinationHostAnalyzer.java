package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Destination;
import dev.mizzen.api.networking.HttpMirrorPolicy;
import dev.mizzen.api.networking.HttpRoute;
import dev.mizzen.api.networking.HttpRouteDestination;
import dev.mizzen.api.networking.RouteDestination;
import dev.mizzen.api.networking.VirtualService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code virtualservice.DestinationHostAnalyzer}: every destination and mirror host is a service or
 * ServiceEntry visible to the VirtualService (IST0101), names a port the service has, or needs none because the
 * service has one port (IST0112); and a gateway-bound route without a subset to a host that another
 * VirtualService splits by subsets is told the subsets do not apply at the gateway (IST0140).
 */
final class VirtualServiceDestinationHostAnalyzer implements Analyzer {
    /** A destination with where it is written. */
    record Located(Destination destination, String field, String ruleKind) {
    }

    @Override
    public String name() {
        return "virtualservice.DestinationHostAnalyzer";
    }

    @Override
    public String description() {
        return "Checks the destination hosts associated with each virtual service";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, List<Destination>> subsetDestinations = subsetDestinations(ctx);
        for (Config<VirtualService> c : ctx.list(ConfigKind.VIRTUAL_SERVICE)) {
            VirtualService vs = c.spec();
            Origin origin = AnalysisContext.origin(c);
            for (Located d : routeDestinations(vs)) {
                check(ctx, c, origin, d, "host");
            }
            for (Located d : mirrorDestinations(vs)) {
                check(ctx, c, origin, d, "mirror host");
            }
            ingressSubsets(ctx, c, origin, subsetDestinations);
        }
    }

    private static void check(AnalysisContext ctx, Config<VirtualService> c, Origin origin, Located d, String what) {
        String host = d.destination().host() == null ? "" : d.destination().host();
        AnalysisContext.HostEntry entry = ctx.destinationHost(c.namespace(), c.spec().exportTo(), host);
        if (entry == null) {
            ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, what, host).at(d.field() + ".host"));
            return;
        }
        if (d.destination().port() == null || d.destination().port().number() == null) {
            if (entry.ports().size() > 1) {
                ctx.report(Messages.VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED
                        .on(origin, host, entry.ports()).at(d.field() + ".host"));
            }
            return;
        }
        int port = d.destination().port().number();
        if (!entry.ports().contains(port)) {
            ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "host:port", host + ":" + port)
                    .at(d.field() + ".port"));
        }
    }

    private static void ingressSubsets(AnalysisContext ctx, Config<VirtualService> c, Origin origin,
                                       Map<String, List<Destination>> subsetDestinations) {
        VirtualService vs = c.spec();
        if (vs.gateways().isEmpty()) {
            return;
        }
        for (int i = 0; i < vs.http().size(); i++) {
            List<HttpRouteDestination> routes = vs.http().get(i).route();
            for (int j = 0; j < routes.size(); j++) {
                Destination d = routes.get(j).destination();
                if (d == null || (d.subset() != null && !d.subset().isEmpty())) {
                    continue;
                }
                for (Map.Entry<String, List<Destination>> other : subsetDestinations.entrySet()) {
                    for (Destination od : other.getValue()) {
                        if (od.host().equals(d.host())) {
                            ctx.report(Messages.INGRESS_ROUTE_RULES_NOT_AFFECTED
                                    .on(origin, other.getKey(), origin.fullName())
                                    .at("spec.http[" + i + "].route[" + j + "].destination.host"));
                        }
                    }
                }
            }
        }
    }

    /** VirtualServices routing one of their own hosts by subset: their full name to those destinations. */
    private static Map<String, List<Destination>> subsetDestinations(AnalysisContext ctx) {
        Map<String, List<Destination>> out = new LinkedHashMap<>();
        for (Config<VirtualService> c : ctx.list(ConfigKind.VIRTUAL_SERVICE)) {
            for (HttpRoute http : c.spec().http()) {
                for (HttpRouteDestination r : http.route()) {
                    Destination d = r.destination();
                    if (d != null && d.subset() != null && !d.subset().isEmpty() && c.spec().hosts().contains(d.host())) {
                        out.computeIfAbsent(AnalysisContext.origin(c).fullName(), k -> new ArrayList<>()).add(d);
                    }
                }
            }
        }
        return out;
    }

    /** Istio's order: TCP, TLS, then HTTP route destinations. */
    static List<Located> routeDestinations(VirtualService vs) {
        List<Located> out = new ArrayList<>();
        for (int i = 0; i < vs.tcp().size(); i++) {
            List<RouteDestination> route = vs.tcp().get(i).route();
            for (int j = 0; j < route.size(); j++) {
                add(out, orEmpty(route.get(j).destination()), "spec.tcp[" + i + "].route[" + j + "].destination", "tcp");
            }
        }
        for (int i = 0; i < vs.tls().size(); i++) {
            List<RouteDestination> route = vs.tls().get(i).route();
            for (int j = 0; j < route.size(); j++) {
                add(out, orEmpty(route.get(j).destination()), "spec.tls[" + i + "].route[" + j + "].destination", "tls");
            }
        }
        for (int i = 0; i < vs.http().size(); i++) {
            List<HttpRouteDestination> route = vs.http().get(i).route();
            for (int j = 0; j < route.size(); j++) {
                add(out, orEmpty(route.get(j).destination()), "spec.http[" + i + "].route[" + j + "].destination", "http");
            }
        }
        return out;
    }

    static List<Located> mirrorDestinations(VirtualService vs) {
        List<Located> out = new ArrayList<>();
        for (int i = 0; i < vs.http().size(); i++) {
            HttpRoute r = vs.http().get(i);
            add(out, r.mirror(), "spec.http[" + i + "].mirror", "http.mirror");
            for (int j = 0; j < r.mirrors().size(); j++) {
                HttpMirrorPolicy m = r.mirrors().get(j);
                add(out, m.destination(), "spec.http[" + i + "].mirrors[" + j + "].destination", "http.mirrors");
            }
        }
        return out;
    }

    /** A route entry without a destination names host "" (Istio reports it as not found). */
    private static Destination orEmpty(Destination d) {
        return d == null ? new Destination("", null, null) : d;
    }

    private static void add(List<Located> out, Destination d, String field, String kind) {
        if (d != null) {
            out.add(new Located(d, field, kind));
        }
    }
}
