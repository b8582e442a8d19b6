package dev.mizzen.galley.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Istio's {@code injection.Analyzer}: a namespace with several injection labels that disagree on how it joins the
 * mesh (IST0123); a namespace without an injection label, which gets no sidecars (IST0102) unless the injector enables
 * namespaces by default (IST0148); a pod in an injected namespace running without its proxy, started before injection
 * was on (IST0103). Ambient namespaces and the root namespace are not asked to be injected.
 */
final class InjectionAnalyzer implements Analyzer {
    private static final String INJECTION = "istio-injection";
    private static final String REVISION = "istio.io/rev";
    private static final String DATAPLANE_MODE = "istio.io/dataplane-mode";

    @Override
    public String name() {
        return "injection.Analyzer";
    }

    @Override
    public String description() {
        return "Checks conditions related to Istio sidecar injection";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Set<String> injected = new HashSet<>();
        MeshOptions mesh = ctx.input().mesh();
        for (KubeNamespace ns : ctx.input().namespaces()) {
            if (ns.name().equals(mesh.rootNamespace())) {
                continue;
            }
            Map<String, String> labels = ns.labels();
            String injection = labels.get(INJECTION);
            List<String> istioLabels = new ArrayList<>();
            if (injection != null) {
                istioLabels.add(INJECTION + "=" + injection);
            }
            for (String l : List.of(REVISION, DATAPLANE_MODE)) {
                if (labels.containsKey(l) && (injection == null || injection.equals("enabled"))) {
                    istioLabels.add(l + "=" + labels.get(l));
                }
            }
            if (istioLabels.size() > 1) {
                ctx.report(Messages.NAMESPACE_MULTIPLE_INJECTION_LABELS.on(ns.origin(), istioLabels));
            }
            if ("ambient".equals(labels.get(DATAPLANE_MODE))) {
                continue;
            }
            if ((injection == null || injection.isEmpty()) && !labels.containsKey(REVISION)) {
                InjectorConfigMap.NamespaceInjection byDefault = ctx.input()
                        .injector(InjectorConfigMap.nameFor(labels.get(REVISION)))
                        .map(InjectorConfigMap::namespaceInjection).orElse(InjectorConfigMap.NamespaceInjection.OPT_IN);
                if (byDefault == InjectorConfigMap.NamespaceInjection.ENABLED_BY_DEFAULT) {
                    ctx.report(Messages.NAMESPACE_INJECTION_ENABLED_BY_DEFAULT.on(ns.origin()));
                } else {
                    ctx.report(Messages.NAMESPACE_NOT_INJECTED.on(ns.origin(), ns.name(), ns.name()).at("metadata.name"));
                }
                continue;
            }
            if ("enabled".equals(injection)) {
                injected.add(ns.name());
            }
        }
        for (KubeWorkload pod : ctx.pods()) {
            if (!injected.contains(pod.namespace())) {
                continue;
            }
            String inject = pod.podLabels().getOrDefault("sidecar.istio.io/inject",
                    pod.podAnnotations().getOrDefault("sidecar.istio.io/inject", ""));
            if (inject.toLowerCase(Locale.ROOT).equals("false") || pod.network() == KubeWorkload.PodNetwork.HOST) {
                continue;
            }
            if (pod.proxyImage().isEmpty()) {
                ctx.report(Messages.POD_MISSING_PROXY.on(pod.origin(), pod.origin().fullName()));
            }
        }
    }
}
