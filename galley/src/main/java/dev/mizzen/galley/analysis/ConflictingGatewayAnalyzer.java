package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Istio's {@code gateway.ConflictingGatewayAnalyzer}: two Gateways with the same workload selector and port whose
 * servers' hosts overlap (IST0145).
 */
final class ConflictingGatewayAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "gateway.ConflictingGatewayAnalyzer";
    }

    @Override
    public String description() {
        return "Checks a gateway's selector, port number and hosts";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        List<Config<Gateway>> gateways = Sorted.byName(ctx.list(ConfigKind.GATEWAY));
        // selector~port -> gateway full name -> hosts
        Map<String, Map<String, List<String>>> byKey = new LinkedHashMap<>();
        Map<String, Map<String, String>> selectors = new HashMap<>();
        for (Config<Gateway> c : gateways) {
            String selector = Selectors.text(c.spec().selector());
            selectors.put(selector, c.spec().selector());
            for (Server server : c.spec().servers()) {
                if (server.port() == null || server.port().number() == null) {
                    continue;
                }
                byKey.computeIfAbsent(selector + "~" + server.port().number(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(AnalysisContext.origin(c).fullName(), k -> new ArrayList<>())
                        .addAll(server.hosts());
            }
        }
        for (Config<Gateway> c : gateways) {
            Origin origin = AnalysisContext.origin(c);
            String selector = Selectors.text(c.spec().selector());
            for (Server server : c.spec().servers()) {
                if (server.port() == null || server.port().number() == null) {
                    continue;
                }
                String port = String.valueOf(server.port().number());
                TreeSet<String> conflicts = new TreeSet<>();
                for (Map.Entry<String, Map<String, List<String>>> key : byKey.entrySet()) {
                    int tilde = key.getKey().lastIndexOf('~');
                    if (!key.getKey().substring(tilde + 1).equals(port)
                            || !sameWorkloads(ctx, selectors, selector, key.getKey().substring(0, tilde))) {
                        continue;
                    }
                    for (Map.Entry<String, List<String>> other : key.getValue().entrySet()) {
                        if (other.getKey().equals(origin.fullName())) {
                            continue;
                        }
                        for (String host : server.hosts()) {
                            if (other.getValue().stream().anyMatch(h -> HostNames.matches(host, h))) {
                                conflicts.add(other.getKey());
                            }
                        }
                    }
                }
                if (!conflicts.isEmpty()) {
                    ctx.report(Messages.CONFLICTING_GATEWAYS.on(origin, String.join(",", conflicts), selector, port,
                            String.join(",", server.hosts())));
                }
            }
        }
    }

    /**
     * Istio's test for two selectors: equal, or one's text contains the other's and some pod matches both (a
     * selector with an extra label still lands on the same gateway pods).
     */
    private static boolean sameWorkloads(AnalysisContext ctx, Map<String, Map<String, String>> selectors, String a,
                                         String b) {
        if (a.equals(b)) {
            return true;
        }
        if (!a.contains(b) && !b.contains(a)) {
            return false;
        }
        return ctx.input().workloads().stream().anyMatch(w -> Selectors.matches(selectors.get(a), w.podLabels())
                && Selectors.matches(selectors.get(b), w.podLabels()));
    }
}
