package dev.mizzen.pilot.inject;

import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * A pod (or the pod template of a workload, as {metadata, spec}) to inject.
 *
 * @param pod             the pod as a JSON tree; not modified
 * @param namespace       the namespace it will run in ("" when unknown, for kube-inject of a file without one)
 * @param namespaceLabels that namespace's labels (webhook only)
 * @param workload        the owning workload, for ISTIO_META_WORKLOAD_NAME/OWNER and the canonical name
 * @param trigger         webhook (namespace labels select) or kube-inject (they do not)
 * @param proxyConfigs    the mesh's ProxyConfig resources (webhook only: kube-inject of a file sees none, as Istio's)
 */
public record PodRequest(ObjectNode pod, String namespace, Map<String, String> namespaceLabels,
                         WorkloadMeta workload, InjectionTrigger trigger, ProxyConfigResources proxyConfigs) {
    public PodRequest {
        namespace = namespace == null ? "" : namespace;
        namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
        proxyConfigs = proxyConfigs == null ? ProxyConfigResources.NONE : proxyConfigs;
    }

    public PodRequest(ObjectNode pod, String namespace, Map<String, String> namespaceLabels, WorkloadMeta workload,
                      InjectionTrigger trigger) {
        this(pod, namespace, namespaceLabels, workload, trigger, ProxyConfigResources.NONE);
    }
}
