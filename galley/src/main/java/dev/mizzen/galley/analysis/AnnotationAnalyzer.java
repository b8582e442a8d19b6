package dev.mizzen.galley.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Istio's {@code annotations.K8sAnalyzer} over Namespaces, Services, Pods and Deployments: an annotation in an
 * {@code istio.io} domain that Istio does not define (IST0108), one put on a kind it does not apply to (IST0107),
 * one with a value Istio's injector refuses (IST0125), a deprecated one (IST0135). The table is the part of
 * Istio's annotation registry ({@code istio.io/api/annotation}) that applies to Kubernetes workloads and
 * services; alpha-feature annotations not in it count as unknown.
 */
final class AnnotationAnalyzer implements Analyzer {
    private static final String ANY = "Any";

    /** One annotation Istio defines: the kinds it applies to, whether it is deprecated, how its value is checked. */
    private record Definition(List<String> kinds, boolean deprecated, Function<String, String> check) {
    }

    private static final Map<String, Definition> ANNOTATIONS = new HashMap<>();

    /** Set by istiod, the injector or a gateway controller, never by users: Istio's AlwaysIgnoredAnnotations. */
    private static final Set<String> ALWAYS_IGNORED = Set.of("sidecar.istio.io/status",
            "gateway.istio.io/controller-version", "istio.io/rev");

    static {
        for (String name : List.of("sidecar.istio.io/agentLogLevel", "sidecar.istio.io/bootstrapOverride",
                "sidecar.istio.io/componentLogLevel", "sidecar.istio.io/enableCoreDump", "sidecar.istio.io/logLevel",
                "sidecar.istio.io/proxyCPU", "sidecar.istio.io/proxyCPULimit", "sidecar.istio.io/proxyImage",
                "sidecar.istio.io/proxyImageType", "sidecar.istio.io/proxyMemory", "sidecar.istio.io/proxyMemoryLimit",
                "sidecar.istio.io/rewriteAppHTTPProbers", "sidecar.istio.io/statsHistogramBuckets",
                "sidecar.istio.io/status", "sidecar.istio.io/userVolume", "sidecar.istio.io/userVolumeMount",
                "sidecar.istio.io/nativeSidecar", "sidecar.istio.io/statsFlushInterval",
                "traffic.sidecar.istio.io/kubevirtInterfaces", "traffic.sidecar.istio.io/excludeInterfaces",
                "proxy.istio.io/config", "proxy.istio.io/overrides", "inject.istio.io/templates",
                "prometheus.istio.io/merge-metrics", "ambient.istio.io/redirection", "istio.io/rev",
                "sidecar.istio.io/statsEvictionInterval")) {
            define(name, "Pod", false, null);
        }
        for (String name : List.of("sidecar.istio.io/statsInclusionPrefixes", "sidecar.istio.io/statsInclusionRegexps",
                "sidecar.istio.io/statsInclusionSuffixes", "sidecar.istio.io/extraStatTags",
                "sidecar.istio.io/discoveryAddress", "sidecar.istio.io/controlPlaneAuthPolicy", "sidecar.istio.io/inject")) {
            define(name, "Pod", true, null);
        }
        define("sidecar.istio.io/interceptionMode", "Pod", false,
                v -> List.of("REDIRECT", "TPROXY", "NONE").contains(v) ? null
                        : "interceptionMode invalid, use REDIRECT,TPROXY,NONE: " + v);
        for (String name : List.of("readiness.status.sidecar.istio.io/initialDelaySeconds",
                "readiness.status.sidecar.istio.io/periodSeconds", "readiness.status.sidecar.istio.io/failureThreshold")) {
            define(name, "Pod", false, AnnotationAnalyzer::uint32);
        }
        define("readiness.status.sidecar.istio.io/applicationPorts", "Pod", false, AnnotationAnalyzer::ports);
        define("status.sidecar.istio.io/port", "Pod", false, AnnotationAnalyzer::port);
        for (String name : List.of("traffic.sidecar.istio.io/excludeInboundPorts",
                "traffic.sidecar.istio.io/excludeOutboundPorts", "traffic.sidecar.istio.io/includeInboundPorts",
                "traffic.sidecar.istio.io/includeOutboundPorts")) {
            define(name, "Pod", false, AnnotationAnalyzer::portsOrStar);
        }
        define("traffic.sidecar.istio.io/excludeOutboundIPRanges", "Pod", false, null);
        define("traffic.sidecar.istio.io/includeOutboundIPRanges", "Pod", false, null);
        define("networking.istio.io/exportTo", "Service", false, null);
        define("networking.istio.io/traffic-distribution", "Service", false, null);
        define("kubernetes.io/ingress.class", "Ingress", false, null);
        define("istio.io/dry-run", "AuthorizationPolicy", false, null);
        define("galley.istio.io/analyze-suppress", ANY, false, null);
        define("topology.istio.io/controlPlaneClusters", ANY, false, null);
    }

    private static void define(String name, String kind, boolean deprecated, Function<String, String> check) {
        ANNOTATIONS.put(name, new Definition(List.of(kind), deprecated, check));
    }

    @Override
    public String name() {
        return "annotations.K8sAnalyzer";
    }

    @Override
    public String description() {
        return "Checks for misplaced and invalid Istio annotations in Kubernetes resources";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        for (KubeNamespace n : ctx.input().namespaces()) {
            check(ctx, n.origin(), n.annotations(), Map.of());
        }
        for (KubeService s : ctx.input().services()) {
            check(ctx, s.origin(), s.annotations(), s.labels());
        }
        for (KubeWorkload w : ctx.input().workloads()) {
            if (w.isPod() || w.kind().equals("Deployment")) {
                check(ctx, w.origin(), w.annotations(), w.labels());
            }
        }
    }

    private static void check(AnalysisContext ctx, Origin origin, Map<String, String> annotations,
                              Map<String, String> labels) {
        for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
            String ann = e.getKey();
            if (!istioAnnotation(ann) || ALWAYS_IGNORED.contains(ann)) {
                continue;
            }
            String field = "metadata.annotations[" + ann + "]";
            Definition def = ANNOTATIONS.get(ann);
            if (def == null) {
                ctx.report(Messages.UNKNOWN_ANNOTATION.on(origin, ann).at(field));
                continue;
            }
            if (def.deprecated() && !(ann.equals("sidecar.istio.io/inject") && labels.containsKey(ann))) {
                String extra = ann.equals("sidecar.istio.io/inject") ? " in favor of the \"sidecar.istio.io/inject\" label" : "";
                ctx.report(Messages.DEPRECATED_ANNOTATION.on(origin, ann, extra).at(field));
            }
            if (def.kinds().contains(ANY)) {
                continue;
            }
            if (!def.kinds().contains(origin.kind())) {
                ctx.report(Messages.MISPLACED_ANNOTATION.on(origin, ann, String.join(", ", def.kinds())).at(field));
                continue;
            }
            String problem = def.check() == null ? null : def.check().apply(e.getValue());
            if (problem != null) {
                ctx.report(Messages.INVALID_ANNOTATION.on(origin, ann, problem).at(field));
            }
        }
    }

    /** In an {@code istio.io} domain, or the one Kubernetes annotation Istio documents. */
    static boolean istioAnnotation(String ann) {
        if (ann.equals("kubernetes.io/ingress.class")) {
            return true;
        }
        int slash = ann.indexOf('/');
        return (slash < 0 ? ann : ann.substring(0, slash)).endsWith("istio.io");
    }

    private static String uint32(String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > 0xFFFFFFFFL || v.startsWith("+")) {
                return "strconv.ParseUint: parsing " + GoFormat.sprintf("%q", List.of(v)) + ": value out of range";
            }
            return null;
        } catch (NumberFormatException ex) {
            return "strconv.ParseUint: parsing " + GoFormat.sprintf("%q", List.of(v)) + ": invalid syntax";
        }
    }

    private static String port(String v) {
        try {
            int p = Integer.parseInt(v.trim());
            return p >= 1 && p <= 65535 ? null : "port number " + p + " must be in the range 1..65535";
        } catch (NumberFormatException ex) {
            return "strconv.ParseUint: parsing " + GoFormat.sprintf("%q", List.of(v)) + ": invalid syntax";
        }
    }

    private static String ports(String v) {
        if (v.isBlank()) {
            return null;
        }
        for (String p : v.split(",")) {
            String problem = port(p.trim());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String portsOrStar(String v) {
        return v.trim().equals("*") ? null : ports(v);
    }
}
