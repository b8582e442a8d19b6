package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.VirtualService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Istio's {@code virtualservice.ConflictingMeshGatewayHostsAnalyzer}: two VirtualServices bound to the mesh
 * gateway (explicitly or by naming no gateway) that define the same host for the same namespaces (IST0109).
 */
final class ConflictingMeshGatewayHostsAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "virtualservice.ConflictingMeshGatewayHostsAnalyzer";
    }

    @Override
    public String description() {
        return "Checks if multiple virtual services associated with the mesh gateway have conflicting hosts";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, List<Config<VirtualService>>> byHost = new LinkedHashMap<>();
        for (Config<VirtualService> c : Sorted.byName(ctx.list(ConfigKind.VIRTUAL_SERVICE))) {
            VirtualService vs = c.spec();
            if (!vs.gateways().isEmpty() && !vs.gateways().contains(VirtualServiceGatewayAnalyzer.MESH)) {
                continue;
            }
            Set<String> scopes = new LinkedHashSet<>();
            if (vs.exportTo().isEmpty() || vs.exportTo().contains(AnalysisContext.EXPORT_TO_ALL)) {
                scopes.add(AnalysisContext.EXPORT_TO_ALL);
            } else {
                for (String e : vs.exportTo()) {
                    scopes.add(e.equals(AnalysisContext.EXPORT_TO_LOCAL) ? c.namespace() : e);
                }
            }
            for (String scope : scopes) {
                for (String h : vs.hosts()) {
                    String key = AnalysisContext.scoped(scope, c.namespace(), h, ctx.clusterDomain());
                    byHost.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
                }
            }
        }
        for (Map.Entry<String, List<Config<VirtualService>>> e : byHost.entrySet()) {
            List<Config<VirtualService>> list = e.getValue();
            if (list.size() < 2) {
                continue;
            }
            String names = list.stream().map(c -> AnalysisContext.origin(c).fullName()).collect(Collectors.joining(","));
            for (Config<VirtualService> c : list) {
                ctx.report(Messages.CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS
                        .on(AnalysisContext.origin(c), names, e.getKey()).at("metadata.name"));
            }
        }
    }
}
