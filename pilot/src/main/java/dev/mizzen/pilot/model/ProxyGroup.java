package dev.mizzen.pilot.model;

import java.util.Map;

/**
 * Proxies that need the same config: same kind, generator, namespace, labels, and the Secrets they may have
 * (a listener never names a Secret its proxy may not receive). Generated resources are cached per group, so a
 * thousand replicas of one workload cost one generation.
 */
public record ProxyGroup(ProxyType type, String generator, String namespace, String dnsDomain,
                         Map<String, String> labels, SecretAccess secrets) {
    public ProxyGroup {
        labels = Map.copyOf(labels);
    }
}
