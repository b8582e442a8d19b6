package dev.mizzen.galley.analysis;

import java.util.List;
import java.util.Map;

/** What analysis needs of a Kubernetes Service. Immutable. */
public record KubeService(String namespace, String name, Map<String, String> labels, Map<String, String> annotations,
                          Map<String, String> selector, String type, List<KubeServicePort> ports) {
    public KubeService {
        namespace = namespace == null ? "" : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        selector = selector == null ? Map.of() : Map.copyOf(selector);
        type = type == null || type.isEmpty() ? "ClusterIP" : type;
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public Origin origin() {
        return new Origin("Service", namespace, name);
    }
}
