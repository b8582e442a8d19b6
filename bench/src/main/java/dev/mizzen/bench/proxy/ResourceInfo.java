package dev.mizzen.bench.proxy;

import java.util.Map;
import java.util.Set;

/**
 * What a simulated proxy reads from one received resource: its name, the names it refers to by type URL
 * (a listener names route configs, a route config clusters, a cluster endpoint sets) and, when a real
 * client would reject it, why.
 *
 * @param problem empty when the resource is acceptable
 */
public record ResourceInfo(String name, Map<String, Set<String>> references, String problem) {
    public ResourceInfo {
        references = Map.copyOf(references);
        problem = problem == null ? "" : problem;
    }

    public boolean acceptable() {
        return problem.isEmpty();
    }
}
