package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.IstioEgressListener;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.Sidecar;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mizzen's own check, not one of Istio's: a Sidecar egress host {@code ns/host} that names a namespace nobody
 * has, or an exact host no service or ServiceEntry of that namespace defines, imports nothing (IST0101,
 * reference type {@code egress namespace} or {@code egress host}). Wildcards and {@code *}, {@code ~} namespaces
 * are not judged.
 */
final class SidecarEgressHostAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "sidecar.EgressHostAnalyzer";
    }

    @Override
    public String description() {
        return "Checks that the egress hosts of each sidecar name an existing namespace and service";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Set<String> hostsByNamespace = new HashSet<>();
        String domain = ctx.clusterDomain();
        for (KubeService s : ctx.input().services()) {
            hostsByNamespace.add(s.namespace() + "/" + HostNames.fqdn(s.namespace(), s.name(), domain));
        }
        for (Config<ServiceEntry> c : ctx.list(ConfigKind.SERVICE_ENTRY)) {
            for (String h : c.spec().hosts()) {
                hostsByNamespace.add(c.namespace() + "/" + HostNames.fqdn(c.namespace(), h, domain));
            }
        }
        Set<String> namespaces = ctx.namespaces();
        for (Config<Sidecar> c : ctx.list(ConfigKind.SIDECAR)) {
            List<IstioEgressListener> egress = c.spec().egress();
            for (int i = 0; i < egress.size(); i++) {
                List<String> hosts = egress.get(i).hosts();
                for (int j = 0; j < hosts.size(); j++) {
                    String entry = hosts.get(j);
                    int slash = entry.indexOf('/');
                    if (slash < 0) {
                        continue;
                    }
                    String ns = entry.substring(0, slash);
                    String host = entry.substring(slash + 1);
                    if (ns.equals("*") || ns.equals("~")) {
                        continue;
                    }
                    ns = ns.equals(".") ? c.namespace() : ns;
                    String field = "spec.egress[" + i + "].hosts[" + j + "]";
                    Origin origin = AnalysisContext.origin(c);
                    if (!namespaces.contains(ns)) {
                        ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "egress namespace", ns).at(field));
                    } else if (!host.contains("*") && !hostsByNamespace.contains(ns + "/" + HostNames.fqdn(ns, host, domain))) {
                        ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "egress host", entry).at(field));
                    }
                }
            }
        }
    }
}
