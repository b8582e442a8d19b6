package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything a push generates config from: one consistent view of the registry and the Istio config,
 * indexed once. Immutable; generators read it from many threads.
 */
public final class PushContext {
    private final long version;
    private final MeshSettings mesh;
    private final RegistrySnapshot registry;
    private final List<Service> sortedServices;
    private final VirtualServiceIndex virtualServices;
    private final DestinationRuleIndex destinationRules;
    private final List<Config<DestinationRule>> destinationRuleConfigs;

    private PushContext(long version, MeshSettings mesh, RegistrySnapshot registry,
                        VirtualServiceIndex virtualServices, DestinationRuleIndex destinationRules,
                        List<Config<DestinationRule>> destinationRuleConfigs) {
        this.version = version;
        this.mesh = mesh;
        this.registry = registry;
        this.sortedServices = registry.services().values().stream()
                .sorted(Comparator.comparing(Service::hostname)).toList();
        this.virtualServices = virtualServices;
        this.destinationRules = destinationRules;
        this.destinationRuleConfigs = destinationRuleConfigs;
    }

    public static PushContext build(long version, MeshSettings mesh, RegistrySnapshot registry, ConfigStore configs) {
        List<Config<VirtualService>> vs = configs.list(ConfigKind.VIRTUAL_SERVICE);
        List<Config<DestinationRule>> dr = configs.list(ConfigKind.DESTINATION_RULE);
        return new PushContext(version, mesh, registry, VirtualServiceIndex.build(vs, mesh),
                DestinationRuleIndex.build(dr, mesh), List.copyOf(dr));
    }

    /** The same config with a newer registry view: what an endpoint-only push needs. */
    public PushContext withRegistry(long newVersion, RegistrySnapshot newRegistry) {
        return new PushContext(newVersion, mesh, newRegistry, virtualServices, destinationRules, destinationRuleConfigs);
    }

    public long version() {
        return version;
    }

    public MeshSettings mesh() {
        return mesh;
    }

    public Optional<Service> service(String hostname) {
        return Optional.ofNullable(registry.services().get(hostname));
    }

    /** Every service, sorted by hostname. */
    public List<Service> services() {
        return sortedServices;
    }

    public List<Endpoint> endpoints(String hostname) {
        return registry.endpoints(hostname);
    }

    public VirtualServiceIndex virtualServices() {
        return virtualServices;
    }

    public Optional<DestinationRule> destinationRule(String hostname, String proxyNamespace) {
        String serviceNamespace = service(hostname).map(Service::namespace).orElse(proxyNamespace);
        return destinationRules.lookup(hostname, serviceNamespace, proxyNamespace);
    }

    public List<Config<DestinationRule>> destinationRuleConfigs() {
        return destinationRuleConfigs;
    }
}
