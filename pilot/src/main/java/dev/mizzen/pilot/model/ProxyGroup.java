package dev.mizzen.pilot.model;

import java.util.Map;

/**
 * Proxies that need the same config: same kind, generator, namespace and labels. Generated resources are
 * cached per group, so a thousand replicas of one workload cost one generation.
 */
public record ProxyGroup(ProxyType type, String generator, String namespace, String dnsDomain,
                         Map<String, String> labels) {
    public ProxyGroup {
        labels = Map.copyOf(labels);
    }
}
