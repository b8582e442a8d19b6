package dev.mizzen.api.config;

import java.time.Instant;
import java.util.Map;

/** The Kubernetes metadata of a config object that config semantics depend on. */
public record ConfigMeta(Map<String, String> labels, Map<String, String> annotations, Instant creationTimestamp,
                         String resourceVersion, long generation) {
    public ConfigMeta {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        creationTimestamp = creationTimestamp == null ? Instant.EPOCH : creationTimestamp;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
    }

    public static ConfigMeta empty() {
        return new ConfigMeta(Map.of(), Map.of(), Instant.EPOCH, "", 0);
    }
}
