package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Subset;
import dev.mizzen.api.networking.VirtualService;

import java.util.HashSet;
import java.util.Set;

/**
 * Istio's {@code virtualservice.DestinationRuleAnalyzer}: every subset a route or mirror names is defined by a
 * DestinationRule for that host (IST0101).
 */
final class VirtualServiceDestinationRuleAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "virtualservice.DestinationRuleAnalyzer";
    }

    @Override
    public String description() {
        return "Checks the destination rules associated with each virtual service";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Set<String> hostSubsets = new HashSet<>();
        for (Config<DestinationRule> c : ctx.list(ConfigKind.DESTINATION_RULE)) {
            String host = HostNames.fqdn(c.namespace(), nullToEmpty(c.spec().host()), ctx.clusterDomain());
            String resource = HostNames.resourceName(c.namespace(), host);
            for (Subset s : c.spec().subsets()) {
                hostSubsets.add(resource + "+" + s.name());
            }
        }
        for (Config<VirtualService> c : ctx.list(ConfigKind.VIRTUAL_SERVICE)) {
            Origin origin = AnalysisContext.origin(c);
            for (var d : VirtualServiceDestinationHostAnalyzer.routeDestinations(c.spec())) {
                check(ctx, hostSubsets, c.namespace(), origin, d, "host+subset in destinationrule");
            }
            for (var d : VirtualServiceDestinationHostAnalyzer.mirrorDestinations(c.spec())) {
                check(ctx, hostSubsets, c.namespace(), origin, d, "mirror+subset in destinationrule");
            }
        }
    }

    private static void check(AnalysisContext ctx, Set<String> known, String ns, Origin origin,
                              VirtualServiceDestinationHostAnalyzer.Located d, String what) {
        String subset = d.destination().subset();
        if (subset == null || subset.isEmpty()) {
            return;
        }
        String host = nullToEmpty(d.destination().host());
        if (!known.contains(HostNames.resourceName(ns, host) + "+" + subset)) {
            ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, what, host + "+" + subset)
                    .at(d.field() + ".subset"));
        }
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
