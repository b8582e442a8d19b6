package dev.mizzen.galley.analysis;

import java.util.Map;

/** A Kubernetes Namespace: its name, labels and annotations. Immutable. */
public record KubeNamespace(String name, Map<String, String> labels, Map<String, String> annotations) {
    public KubeNamespace {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static KubeNamespace named(String name) {
        return new KubeNamespace(name, Map.of(), Map.of());
    }

    public Origin origin() {
        return new Origin("Namespace", "", name);
    }
}
