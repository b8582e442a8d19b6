package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.DestinationRule;

/**
 * A DestinationRule whose host is no service or ServiceEntry visible to it (Istio's IST0174
 * UnknownDestinationRuleHost). Wildcard hosts are not judged: they may cover services yet to come.
 */
final class DestinationRuleHostAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "destinationrule.UnknownHostAnalyzer";
    }

    @Override
    public String description() {
        return "Checks that the host of each destination rule matches a service in the mesh";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (Config<DestinationRule> c : ctx.list(ConfigKind.DESTINATION_RULE)) {
            String host = c.spec().host();
            if (host == null || host.isEmpty() || host.startsWith("*")) {
                continue;
            }
            if (ctx.destinationHost(c.namespace(), c.spec().exportTo(), host) == null) {
                ctx.report(Messages.UNKNOWN_DESTINATION_RULE_HOST.on(AnalysisContext.origin(c), host).at("spec.host"));
            }
        }
    }
}
