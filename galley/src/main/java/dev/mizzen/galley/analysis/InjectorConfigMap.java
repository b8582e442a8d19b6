package dev.mizzen.galley.analysis;

/**
 * What analysis needs of an injector ConfigMap ({@code istio-sidecar-injector}, or
 * {@code istio-sidecar-injector-<revision>}): the proxy image it injects and whether it injects namespaces that carry
 * no injection label. Immutable.
 *
 * @param name       the ConfigMap's name
 * @param proxyImage {@code global.proxy.image} when it names a registry, else {@code hub/image:tag}; {@code ""} when
 *                   the values could not be read
 */
public record InjectorConfigMap(String name, String proxyImage, NamespaceInjection namespaceInjection) {
    static final String NAME = "istio-sidecar-injector";

    /** Whether a namespace must opt in to injection ({@code sidecarInjectorWebhook.enableNamespacesByDefault}). */
    public enum NamespaceInjection { OPT_IN, ENABLED_BY_DEFAULT }

    public InjectorConfigMap {
        proxyImage = proxyImage == null ? "" : proxyImage;
        namespaceInjection = namespaceInjection == null ? NamespaceInjection.OPT_IN : namespaceInjection;
    }

    /** Istio's {@code GetInjectorConfigMapName}: the ConfigMap of a revision ({@code ""} or default: the plain one). */
    static String nameFor(String revision) {
        return revision == null || revision.isEmpty() || revision.equals("default") ? NAME : NAME + "-" + revision;
    }
}
