package dev.mizzen.galley.analysis;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Istio's {@code service.PortNameAnalyzer}: a Service port whose protocol Istio cannot tell from its name or
 * appProtocol (IST0118); an ExternalName Service whose port is named {@code tcp} or unrecognisably (IST0150).
 * Istio's own Services (label {@code istio} or {@code release=istio}) and system namespaces are skipped.
 */
final class PortNameAnalyzer implements Analyzer {
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "grpc", "grpc-web", "http", "http_proxy",
            "http2", "https", "tls", "mongo", "redis", "mysql");
    /** Server-first protocols Istio assumes on their usual ports when the name says nothing. */
    private static final Set<Integer> WELL_KNOWN_PORTS = Set.of(3306, 27017);
    private static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease",
            "local-path-storage");
    private static final Set<String> MANAGED_GATEWAY_LABELS = Set.of("istio.io-gateway-controller",
            "istio.io-mesh-controller", "istio.io-eastwest-controller");

    @Override
    public String name() {
        return "service.PortNameAnalyzer";
    }

    @Override
    public String description() {
        return "Checks the port names associated with each service";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (KubeService s : ctx.input().services()) {
            if (isControlPlane(s.labels()) || SYSTEM_NAMESPACES.contains(s.namespace())
                    || MANAGED_GATEWAY_LABELS.contains(s.labels().getOrDefault("gateway.istio.io/managed", ""))) {
                continue;
            }
            for (int i = 0; i < s.ports().size(); i++) {
                KubeServicePort p = s.ports().get(i);
                boolean externalName = s.type().equals("ExternalName");
                if (unsupported(p) || (p.name().equals("tcp") && externalName)) {
                    DiagMessage m = externalName
                            ? Messages.EXTERNAL_NAME_SERVICE_TYPE_INVALID_PORT_NAME.on(s.origin())
                            : Messages.PORT_NAME_IS_NOT_UNDER_NAMING_CONVENTION.on(s.origin(), p.name(), p.port(),
                            p.targetPort().isEmpty() ? String.valueOf(0) : p.targetPort());
                    ctx.report(m.at("spec.ports[" + i + "]"));
                }
            }
        }
    }

    static boolean isControlPlane(Map<String, String> labels) {
        return labels.containsKey("istio") || "istio".equals(labels.get("release"));
    }

    /** Istio's {@code kube.ConvertProtocol(...).IsUnsupported()}. */
    static boolean unsupported(KubeServicePort p) {
        if (p.protocol().equals("UDP")) {
            return false;
        }
        String name = p.name();
        if (!p.appProtocol().isEmpty()) {
            name = p.appProtocol();
            if (name.equals("kubernetes.io/h2c") || name.equals("kubernetes.io/ws") || name.equals("kubernetes.io/wss")) {
                return false;
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("grpc-web")) {
            return false;
        }
        int dash = lower.indexOf('-');
        if (dash >= 0) {
            lower = lower.substring(0, dash);
        }
        return !PROTOCOLS.contains(lower) && !WELL_KNOWN_PORTS.contains(p.port());
    }
}
