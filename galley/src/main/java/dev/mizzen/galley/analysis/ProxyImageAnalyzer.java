package dev.mizzen.galley.analysis;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.ProxyConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's {@code injection.ImageAnalyzer}: pods in injected namespaces whose {@code istio-proxy} image is not the one
 * their revision's injector ConfigMap injects now (with the image type suffix, {@code -distroless}, that mesh config,
 * ProxyConfig or the pod's {@code proxy.istio.io/config} ask for): they were injected before an upgrade and need a
 * restart (IST0158, one message per namespace). Pods that chose their image by annotation are left alone.
 */
final class ProxyImageAnalyzer implements Analyzer {
    private static final String REVISION = "istio.io/rev";

    @Override
    public String name() {
        return "injection.ImageAnalyzer";
    }

    @Override
    public String description() {
        return "Checks the image of auto-injection configured with the running proxies on pods";
    }

    @Override
    public void analyze(AnalysisContext ctx) {
        if (ctx.input().injectors().isEmpty()) {
            return;
        }
        Map<String, KubeNamespace> injected = new HashMap<>();
        for (KubeNamespace ns : ctx.input().namespaces()) {
            if ("enabled".equals(ns.labels().get("istio-injection")) || ns.labels().containsKey(REVISION)) {
                injected.put(ns.name(), ns);
            }
        }
        ImageTypes types = new ImageTypes(ctx);
        Map<String, List<String>> mismatched = new TreeMap<>();
        for (KubeWorkload pod : ctx.pods()) {
            KubeNamespace ns = injected.get(pod.namespace());
            if (ns == null || !pod.podAnnotations().getOrDefault("sidecar.istio.io/proxyImage", "").isEmpty()
                    || !pod.containers().contains("istio-proxy")) {
                continue;
            }
            String revision = ns.labels().getOrDefault(REVISION, "default");
            String expected = ctx.input().injector(InjectorConfigMap.nameFor(revision))
                    .map(InjectorConfigMap::proxyImage).orElse(null);
            if (expected == null) {
                continue;
            }
            String variant = types.of(pod);
            if (!pod.proxyImage().equals(expected) && !pod.proxyImage().equals(expected + "-" + variant)) {
                mismatched.computeIfAbsent(pod.namespace(), k -> new ArrayList<>()).add(pod.name());
            }
        }
        mismatched.forEach((ns, pods) -> ctx.report(Messages.PODS_ISTIO_PROXY_IMAGE_MISMATCH_IN_NAMESPACE
                .on(injected.get(ns).origin(), pods.stream().sorted().toList())));
    }

    /** Istio's {@code EffectiveProxyConfigResolver.ImageType}: the most specific image type set wins. */
    private static final class ImageTypes {
        private final String mesh;
        private String root = "";
        private final Map<String, String> byNamespace = new HashMap<>();
        private final List<Config<ProxyConfig>> byWorkload = new ArrayList<>();

        ImageTypes(AnalysisContext ctx) {
            mesh = ctx.input().mesh().proxyImageType();
            for (Config<ProxyConfig> c : Sorted.byName(ctx.list(ConfigKind.PROXY_CONFIG))) {
                if (c.namespace().equals(ctx.input().mesh().rootNamespace())) {
                    root = type(c.spec());
                } else if (c.spec().selector() == null) {
                    byNamespace.put(c.namespace(), type(c.spec()));
                } else {
                    byWorkload.add(c);
                }
            }
        }

        String of(KubeWorkload pod) {
            String variant = mesh;
            variant = root.isEmpty() ? variant : root;
            String ns = byNamespace.getOrDefault(pod.namespace(), "");
            variant = ns.isEmpty() ? variant : ns;
            for (Config<ProxyConfig> c : byWorkload) {
                String t = type(c.spec());
                if (c.namespace().equals(pod.namespace()) && !t.isEmpty()
                        && Selectors.matches(c.spec().selector().matchLabels(), pod.podLabels())) {
                    variant = t;
                }
            }
            String annotated = annotatedType(pod.podAnnotations().getOrDefault("proxy.istio.io/config", ""));
            variant = annotated.isEmpty() ? variant : annotated;
            return variant.equals("default") ? "" : variant;
        }

        private static String type(ProxyConfig pc) {
            return pc.image() == null || pc.image().imageType() == null ? "" : pc.image().imageType();
        }

        /** The {@code image.imageType} of a {@code proxy.istio.io/config} annotation (YAML); "" when unset or unreadable. */
        private static String annotatedType(String yaml) {
            if (yaml.isEmpty()) {
                return "";
            }
            try {
                Object parsed = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder()
                        .setCodePointLimit(64 * 1024).build()).loadFromString(yaml);
                return KubeObjects.str(KubeObjects.map(KubeObjects.map(parsed).get("image")).get("imageType"));
            } catch (RuntimeException e) {
                return "";
            }
        }
    }
}
