package dev.mizzen.galley.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's {@code deployment.ServiceAssociationAnalyzer} (named {@code deployment.MultiServiceAnalyzer}): for each
 * Deployment in the mesh, the Services selecting its pods must not use one port with different protocols (IST0116),
 * nor one target port behind different ports (IST0137); the sidecar cannot tell such traffic apart. Waypoint
 * Deployments are skipped, as in Istio.
 */
final class DeploymentServicesAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "deployment.MultiServiceAnalyzer";
    }

    @Override
    public String description() {
        return "Checks association between services and pods";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, KubeNamespace> namespaces = new HashMap<>();
        ctx.input().namespaces().forEach(n -> namespaces.put(n.name(), n));
        for (KubeWorkload d : ctx.input().workloads()) {
            if (!d.kind().equals("Deployment") || "istio.io-mesh-controller".equals(d.labels().get("gateway.istio.io/managed"))
                    || !AuthorizationPolicyAnalyzer.inMesh(d, namespaces.get(d.namespace()))) {
                continue;
            }
            List<KubeService> services = ctx.input().services().stream()
                    .filter(s -> s.namespace().equals(d.namespace()) && !s.selector().isEmpty()
                            && Selectors.matches(s.selector(), d.podLabels()))
                    .toList();
            protocols(ctx, d, services);
            targetPorts(ctx, d, services);
        }
    }

    private static void protocols(AnalysisContext ctx, KubeWorkload d, List<KubeService> services) {
        // port -> protocol -> service full names
        Map<Integer, Map<String, List<String>>> ports = new TreeMap<>();
        for (KubeService s : services) {
            for (KubeServicePort p : s.ports()) {
                ports.computeIfAbsent(p.port(), k -> new TreeMap<>())
                        .computeIfAbsent(p.protocol(), k -> new ArrayList<>()).add(s.origin().fullName());
            }
        }
        ports.forEach((port, byProtocol) -> {
            if (byProtocol.size() > 1) {
                List<String> names = byProtocol.values().stream().flatMap(List::stream).sorted().toList();
                ctx.report(Messages.DEPLOYMENT_ASSOCIATED_TO_MULTIPLE_SERVICES.on(d.origin(), d.name(), port, names)
                        .at("metadata.name"));
            }
        });
    }

    private static void targetPorts(AnalysisContext ctx, KubeWorkload d, List<KubeService> services) {
        // target port as written (the port when unset) -> port -> service full name
        Map<String, Map<Integer, String>> targets = new TreeMap<>();
        for (KubeService s : services) {
            for (KubeServicePort p : s.ports()) {
                String target = p.targetPort().isEmpty() || p.targetPort().equals("0")
                        ? String.valueOf(p.port()) : p.targetPort();
                targets.computeIfAbsent(target, k -> new TreeMap<>()).put(p.port(), s.origin().fullName());
            }
        }
        targets.forEach((target, byPort) -> {
            if (byPort.size() > 1) {
                List<String> names = byPort.values().stream().sorted().toList();
                ctx.report(Messages.DEPLOYMENT_CONFLICTING_PORTS.on(d.origin(), d.name(), names, target,
                        List.copyOf(byPort.keySet())).at("metadata.name"));
            }
        });
    }
}
