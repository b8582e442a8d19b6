package dev.mizzen.galley.analysis;

/**
 * Istio's tests for ambient mode (its {@code util/in_mesh.go}). Mizzen serves no ambient data plane, but a workload
 * marked for it gets no sidecar from Mizzen's injector either, so policies that only a sidecar would apply do nothing
 * there, and Istio's analyzers say so (IST0167).
 */
final class Ambient {
    private Ambient() {
    }

    /** The pod's traffic is redirected by the ambient node agent. */
    static boolean pod(KubeWorkload w) {
        return "enabled".equals(w.podAnnotations().get("ambient.istio.io/redirection"));
    }

    /** The namespace asks for ambient and not for sidecar injection. */
    static boolean namespace(KubeNamespace n) {
        if ("enabled".equals(n.labels().get("istio-injection"))) {
            return false;
        }
        if (!n.labels().getOrDefault("istio.io/rev", "").isEmpty()) {
            return false;
        }
        return "ambient".equals(n.labels().get("istio.io/dataplane-mode"));
    }
}
