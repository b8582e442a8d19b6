package dev.mizzen.pilot.networking.envoyfilter;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which patches took effect in one generation: the proxy's patched resources name them when the result fails
 * Envoy's validation. Not thread-safe: one per generation.
 */
public final class PatchLog {
    private final Set<String> applied = new LinkedHashSet<>();

    void applied(ConfigPatch patch) {
        applied.add(patch.filter().namespace() + "/" + patch.filter().name());
    }

    /** The EnvoyFilters ({@code ns/name}) that changed something. */
    public Set<String> filters() {
        return Set.copyOf(applied);
    }
}
