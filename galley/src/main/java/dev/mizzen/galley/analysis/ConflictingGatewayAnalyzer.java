package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Server;

import java.util.ArrayList;
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
        for (Config<Gateway> c : gateways) {
            String selector = Selectors.text(c.spec().selector());
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
                for (Map.Entry<String, List<String>> other : byKey.getOrDefault(selector + "~" + port, Map.of()).entrySet()) {
                    if (other.getKey().equals(origin.fullName())) {
                        continue;
                    }
                    for (String host : server.hosts()) {
                        if (other.getValue().stream().anyMatch(h -> HostNames.matches(host, h))) {
                            conflicts.add(other.getKey());
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
}
