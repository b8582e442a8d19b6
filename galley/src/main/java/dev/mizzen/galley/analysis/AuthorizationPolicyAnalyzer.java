package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.Rule;
import dev.mizzen.api.security.RuleFrom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Istio's {@code auth.AuthorizationPoliciesAnalyzer}: a policy applies to some workload in the mesh (IST0127),
 * and every namespace its sources name (or exclude) exists (IST0101).
 */
final class AuthorizationPolicyAnalyzer implements Analyzer {
    @Override
    public String name() {
        return "auth.AuthorizationPoliciesAnalyzer";
    }

    @Override
    public String description() {
        return "Checks the validity of authorization policies";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        Map<String, List<Map<String, String>>> meshPodLabels = new HashMap<>();
        Map<String, KubeNamespace> namespaces = new HashMap<>();
        ctx.input().namespaces().forEach(n -> namespaces.put(n.name(), n));
        for (KubeWorkload w : ctx.input().workloads()) {
            List<Map<String, String>> list = meshPodLabels.computeIfAbsent(w.namespace(), k -> new ArrayList<>());
            if (inMesh(w, namespaces.get(w.namespace())) || Ambient.pod(w)) {
                list.add(w.podLabels());
            }
        }
        String root = ctx.input().mesh().rootNamespace();
        Set<String> known = ctx.namespaces();
        for (Config<AuthorizationPolicy> c : ctx.list(ConfigKind.AUTHORIZATION_POLICY)) {
            Origin origin = AnalysisContext.origin(c);
            AuthorizationPolicy ap = c.spec();
            noMatchingWorkloads(ctx, c, origin, ap, root, meshPodLabels);
            for (int i = 0; i < ap.rules().size(); i++) {
                Rule rule = ap.rules().get(i);
                for (int j = 0; j < rule.from().size(); j++) {
                    RuleFrom from = rule.from().get(j);
                    if (from.source() == null) {
                        continue;
                    }
                    checkNamespaces(ctx, origin, known, from.source().namespaces(),
                            "spec.rules[" + i + "].from[" + j + "].source.namespaces");
                    checkNamespaces(ctx, origin, known, from.source().notNamespaces(),
                            "spec.rules[" + i + "].from[" + j + "].source.notNamespaces");
                }
            }
        }
    }

    private static void noMatchingWorkloads(AnalysisContext ctx, Config<AuthorizationPolicy> c, Origin origin,
                                            AuthorizationPolicy ap, String root,
                                            Map<String, List<Map<String, String>>> meshPodLabels) {
        if (ap.targetRef() != null || !ap.targetRefs().isEmpty()) {
            return; // attached to a Kubernetes Gateway or Service, not selected by labels
        }
        Map<String, String> selector = ap.selector() == null ? null : ap.selector().matchLabels();
        if (c.namespace().equals(root)) {
            if (selector != null && meshPodLabels.values().stream()
                    .noneMatch(list -> list.stream().anyMatch(l -> Selectors.matches(selector, l)))) {
                ctx.report(Messages.NO_MATCHING_WORKLOADS_FOUND.on(origin, Selectors.text(selector)));
            }
            return;
        }
        List<Map<String, String>> here = meshPodLabels.getOrDefault(c.namespace(), List.of());
        if (selector == null) {
            if (here.isEmpty()) {
                ctx.report(Messages.NO_MATCHING_WORKLOADS_FOUND.on(origin, ""));
            }
            return;
        }
        if (here.stream().noneMatch(l -> Selectors.matches(selector, l))) {
            ctx.report(Messages.NO_MATCHING_WORKLOADS_FOUND.on(origin, Selectors.text(selector)));
        }
    }

    private static void checkNamespaces(AnalysisContext ctx, Origin origin, Set<String> known, List<String> names,
                                        String field) {
        for (int k = 0; k < names.size(); k++) {
            String exp = names.get(k);
            if (known.stream().noneMatch(ns -> namespaceMatch(ns, exp))) {
                ctx.report(Messages.REFERENCED_RESOURCE_NOT_FOUND.on(origin, "namespace", exp).at(field + "[" + k + "]"));
            }
        }
    }

    static boolean namespaceMatch(String ns, String exp) {
        if (exp.equals("*")) {
            return true;
        }
        if (exp.startsWith("*")) {
            return ns.endsWith(exp.substring(1));
        }
        if (exp.endsWith("*")) {
            return ns.startsWith(exp.substring(0, exp.length() - 1));
        }
        return ns.toLowerCase(Locale.ROOT).equals(exp.toLowerCase(Locale.ROOT));
    }

    /**
     * Istio's {@code PodInMesh}, as far as objects tell: it carries a proxy (an {@code istio-proxy} container or
     * the injection status annotation), or injection or ambient mode is on for it or its namespace.
     */
    static boolean inMesh(KubeWorkload w, KubeNamespace ns) {
        if (w.containers().contains("istio-proxy") || w.podAnnotations().containsKey("sidecar.istio.io/status")) {
            return true;
        }
        String podInject = w.podLabels().getOrDefault("sidecar.istio.io/inject",
                w.podAnnotations().getOrDefault("sidecar.istio.io/inject", ""));
        if (podInject.equals("false")) {
            return false;
        }
        if (podInject.equals("true") || "ambient".equals(w.podLabels().get("istio.io/dataplane-mode"))) {
            return true;
        }
        if (ns == null) {
            return false;
        }
        return "enabled".equals(ns.labels().get("istio-injection")) || ns.labels().containsKey("istio.io/rev")
                || "ambient".equals(ns.labels().get("istio.io/dataplane-mode"));
    }
}
