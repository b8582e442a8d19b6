package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.Server;

import java.util.HashSet;
import java.util.Set;

/**
 * Istio's {@code gateway.IngressGatewayPortAnalyzer}: a Gateway's selector selects some workload (IST0101), and
 * each server port is a TCP port, or the numeric target port of one, of a Service selecting that workload (IST0162;
 * Istio's IST0104 GatewayPortNotOnWorkload before it was retired). Workloads are Pods and, unlike Istio, also
 * controllers' pod templates, so that files holding a gateway's Deployment but no Pod are judged by its ports.
 */
final class GatewayPortAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "gateway.IngressGatewayPortAnalyzer";
    }

    @Override
    public String description() {
        return "Checks a gateway's ports against the gateway's Kubernetes service ports";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (Config<Gateway> c : ctx.list(ConfigKind.GATEWAY)) {
            Gateway gw = c.spec();
            Origin origin = AnalysisContext.origin(c);
            Set<Integer> servicePorts = new HashSet<>();
            int matches = 0;
            for (KubeWorkload w : ctx.input().workloads()) {
                if (!Selectors.matches(gw.selector(), w.podLabels())) {
                    continue;
                }
                matches++;
                for (KubeService s : ctx.input().services()) {
                    if (!s.namespace().equals(w.namespace()) || !Selectors.matches(s.selector(), w.podLabels())) {
                        continue;
                    }
                    for (KubeServicePort p : s.ports()) {
                        if (p.protocol().equals("TCP")) {
                            // the gateway listens on the target port; a Service port counts too (Istio's mapping)
                            int target = p.numericTargetPort();
                            servicePorts.add(target != 0 ? target : p.port());
                            servicePorts.add(p.port());
                        }
                    }
                }
            }
            String selector = Selectors.text(gw.selector());
            if (matches == 0) {
                ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "selector", selector).at("spec.selector"));
                continue;
            }
            for (int i = 0; i < gw.servers().size(); i++) {
                Server server = gw.servers().get(i);
                if (server.port() != null && server.port().number() != null
                        && !servicePorts.contains(server.port().number())) {
                    ctx.report(Messages.GATEWAY_PORT_NOT_DEFINED_ON_SERVICE
                            .on(origin, server.port().number(), selector).at("spec.servers[" + i + "].port.number"));
                }
            }
        }
    }
}
