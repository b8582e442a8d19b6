package dev.mizzen.galley.analysis;

import java.util.List;
import java.util.Map;

/**
 * A Pod, or a workload controller (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) reduced to its pod
 * template: what selectors, gateways and injection checks need. Immutable.
 *
 * @param kind           {@code Pod}, {@code Deployment}, ...
 * @param labels         the object's own labels
 * @param annotations    the object's own annotations
 * @param podLabels      the labels its pods carry (a Pod's own, a controller's template's)
 * @param podAnnotations the annotations its pods carry
 * @param containers     container names, init containers included (an injected pod has {@code istio-proxy})
 * @param runAsUsers     every {@code runAsUser} set, pod-level and per container
 * @param proxyImage     the image of its {@code istio-proxy} container; {@code ""} when it has none or names none
 * @param network        whether its pods use the host's network (no sidecar can capture their traffic)
 */
public record KubeWorkload(String kind, String namespace, String name, Map<String, String> labels,
                           Map<String, String> annotations, Map<String, String> podLabels,
                           Map<String, String> podAnnotations, List<String> containers, List<Long> runAsUsers,
                           String proxyImage, PodNetwork network) {
    /** The network a pod's containers use. */
    public enum PodNetwork { POD, HOST }

    public KubeWorkload {
        proxyImage = proxyImage == null ? "" : proxyImage;
        network = network == null ? PodNetwork.POD : network;
        namespace = namespace == null ? "" : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
        podAnnotations = podAnnotations == null ? Map.of() : Map.copyOf(podAnnotations);
        containers = containers == null ? List.of() : List.copyOf(containers);
        runAsUsers = runAsUsers == null ? List.of() : List.copyOf(runAsUsers);
    }

    /** A pod with these labels in this namespace and nothing else known. */
    public static KubeWorkload pod(String namespace, String name, Map<String, String> labels) {
        return new KubeWorkload("Pod", namespace, name, labels, Map.of(), labels, Map.of(), List.of(), List.of(), "",
                PodNetwork.POD);
    }

    public boolean isPod() {
        return kind.equals("Pod");
    }

    public Origin origin() {
        return new Origin(kind, namespace, name);
    }
}
