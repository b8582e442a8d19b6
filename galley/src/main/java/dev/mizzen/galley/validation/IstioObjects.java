package dev.mizzen.galley.validation;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rules on a whole Istio object rather than its spec, shared by the webhook and the CLI. */
public final class IstioObjects {
    /** What an Istio object may carry at the top level; Istio's webhook refuses anything else. */
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");

    private IstioObjects() {
    }

    /** The first top-level field an Istio object may not have (e.g. a misindented {@code hosts}), if any. */
    public static Optional<String> unknownTopLevelField(Map<String, ?> object) {
        return object.keySet().stream().filter(k -> !TOP_LEVEL_FIELDS.contains(k)).sorted().findFirst();
    }
}
