package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.VirtualService;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Istio's {@code virtualservice.ConflictingMeshGatewayHostsAnalyzer}: two VirtualServices bound to the mesh
 * gateway (explicitly or by naming no gateway) that define the same host for the same namespaces, or a host for some
 * namespaces that a host for all of them matches (IST0109). Each VirtualService is reported once.
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
        Set<Config<VirtualService>> reported = new HashSet<>();
        for (Map.Entry<String, List<Config<VirtualService>>> e : byHost.entrySet()) {
            List<Config<VirtualService>> list = new ArrayList<>(e.getValue());
            String key = e.getKey();
            String scope = key.substring(0, key.indexOf('/'));
            if (!scope.equals(AnalysisContext.EXPORT_TO_ALL)) {
                // a host seen by one namespace also clashes with a matching host every namespace sees
                String fqdn = key.substring(key.indexOf('/') + 1);
                byHost.forEach((other, vss) -> {
                    if (other.startsWith(AnalysisContext.EXPORT_TO_ALL + "/")
                            && HostNames.matches(fqdn, other.substring(other.indexOf('/') + 1))) {
                        list.addAll(vss);
                    }
                });
            }
            if (list.size() < 2) {
                continue;
            }
            String names = list.stream().map(c -> AnalysisContext.origin(c).fullName()).sorted()
                    .collect(Collectors.joining(","));
            for (Config<VirtualService> c : list) {
                if (reported.add(c)) {
                    ctx.report(Messages.CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS
                            .on(AnalysisContext.origin(c), names, key).at("metadata.name"));
                }
            }
        }
    }
}
