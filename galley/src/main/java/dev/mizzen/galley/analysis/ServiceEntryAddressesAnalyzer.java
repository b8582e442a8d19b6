package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.ServicePort;

/**
 * Istio's {@code serviceentry.ProtocolAddressesAnalyzer}: a ServiceEntry without addresses needs them for each
 * TCP (or unnamed-protocol) port, unless the mesh allocates addresses (IST0134).
 */
final class ServiceEntryAddressesAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "serviceentry.Analyzer";
    }

    @Override
    public String description() {
        return "Checks the validity of ServiceEntry";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        if (ctx.input().mesh().dnsAutoAllocate() == MeshOptions.DnsAllocation.ON) {
            return;
        }
        for (Config<ServiceEntry> c : ctx.list(ConfigKind.SERVICE_ENTRY)) {
            ServiceEntry se = c.spec();
            if (!se.addresses().isEmpty()) {
                continue;
            }
            for (int i = 0; i < se.ports().size(); i++) {
                ServicePort p = se.ports().get(i);
                if (p.protocol() == null || p.protocol().isEmpty() || p.protocol().equalsIgnoreCase("TCP")) {
                    ctx.report(Messages.SERVICE_ENTRY_ADDRESSES_REQUIRED.on(AnalysisContext.origin(c))
                            .at("spec.ports[" + i + "]"));
                }
            }
        }
    }
}
