package dev.mizzen.pilot.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigStore;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.serviceregistry.serviceentry.ServiceEntryConverter;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a push generates config from: one consistent view of the registry and the Istio config,
 * indexed once. Immutable (the per-scope memo only caches what the indexes would compute again);
 * generators read it from many threads.
 */
public final class PushContext {
    private final long version;
    private final MeshSettings mesh;
    private final RegistrySnapshot registry;
    private final ConfigIndexes config;
    private final List<Service> sortedServices;
    /** per (namespace, labels) of connected proxies: bounded, since a plaintext proxy claims its own labels */
    private final Cache<ScopeKey, SidecarScope> scopes = Caffeine.newBuilder().maximumSize(50_000).build();

    private record ScopeKey(String namespace, Map<String, String> labels) {
    }

    /** The config indexes an endpoint-only push keeps. */
    private record ConfigIndexes(VirtualServiceIndex virtualServices, DestinationRuleIndex destinationRules,
                                 SidecarIndex sidecars, PeerAuthenticationIndex peerAuthentications,
                                 GatewayIndex gateways, List<Config<ServiceEntry>> serviceEntries,
                                 List<Config<WorkloadEntry>> workloadEntries) {
    }

    private PushContext(long version, MeshSettings mesh, RegistrySnapshot kubernetes, ConfigIndexes config) {
        this.version = version;
        this.mesh = mesh;
        this.config = config;
        this.registry = withServiceEntries(kubernetes, config);
        this.sortedServices = registry.services().values().stream()
                .sorted(Comparator.comparing(Service::hostname)).toList();
    }

    public static PushContext build(long version, MeshSettings mesh, RegistrySnapshot registry, ConfigStore configs) {
        List<Config<VirtualService>> vs = configs.list(ConfigKind.VIRTUAL_SERVICE);
        List<Config<DestinationRule>> dr = configs.list(ConfigKind.DESTINATION_RULE);
        ConfigIndexes indexes = new ConfigIndexes(VirtualServiceIndex.build(vs, mesh), DestinationRuleIndex.build(dr, mesh),
                SidecarIndex.build(configs.list(ConfigKind.SIDECAR), mesh),
                PeerAuthenticationIndex.build(configs.list(ConfigKind.PEER_AUTHENTICATION), mesh),
                GatewayIndex.build(configs.list(ConfigKind.GATEWAY)),
                List.copyOf(configs.<ServiceEntry>list(ConfigKind.SERVICE_ENTRY)),
                List.copyOf(configs.<WorkloadEntry>list(ConfigKind.WORKLOAD_ENTRY)));
        return new PushContext(version, mesh, registry, indexes);
    }

    /** Kubernetes services win over ServiceEntry hosts of the same name. */
    private static RegistrySnapshot withServiceEntries(RegistrySnapshot kubernetes, ConfigIndexes config) {
        if (config.serviceEntries().isEmpty()) {
            return kubernetes;
        }
        var converted = ServiceEntryConverter.convert(config.serviceEntries(), config.workloadEntries());
        Map<String, Service> services = new HashMap<>(converted.services());
        Map<String, List<Endpoint>> endpoints = new HashMap<>(converted.endpoints());
        services.putAll(kubernetes.services());
        endpoints.putAll(kubernetes.endpoints());
        return new RegistrySnapshot(services, endpoints, kubernetes.credentials());
    }

    /** The same config with a newer registry view: what an endpoint-only push needs. */
    public PushContext withRegistry(long newVersion, RegistrySnapshot newRegistry) {
        return new PushContext(newVersion, mesh, newRegistry, config);
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

    /** The services a proxy may reach: exported to its namespace and within its Sidecar's egress hosts. */
    public List<Service> servicesFor(Proxy proxy) {
        SidecarScope scope = sidecarScope(proxy);
        return sortedServices.stream().filter(s -> scope.includes(s, proxy.namespace())).toList();
    }

    /** The Kubernetes services that select a workload with these labels in this namespace: what it serves. */
    public List<Service> servicesOfWorkload(String namespace, Map<String, String> labels) {
        return sortedServices.stream()
                .filter(s -> s.namespace().equals(namespace) && !s.selector().isEmpty()
                        && labels.entrySet().containsAll(s.selector().entrySet()))
                .toList();
    }

    /**
     * True when the mesh defines this cluster for a proxy of {@code proxyNamespace}: its service, port and subset
     * exist. Generators answer for other names too (an empty answer beats a client's resource timeout), but only
     * defined clusters are worth remembering: the other names are whatever clients choose to ask.
     */
    public boolean defines(ClusterName cluster, String proxyNamespace) {
        Optional<Service> service = service(cluster.hostname());
        if (service.isEmpty() || service.get().port(cluster.port()).isEmpty()) {
            return false;
        }
        return cluster.subset().isEmpty() || destinationRule(cluster.hostname(), proxyNamespace)
                .map(rule -> rule.subsets().stream().anyMatch(s -> cluster.subset().equals(s.name()))).orElse(false);
    }

    public List<Endpoint> endpoints(String hostname) {
        return registry.endpoints(hostname);
    }

    public Optional<TlsCredential> credential(String namespace, String name) {
        return registry.credential(namespace, name);
    }

    public VirtualServiceIndex virtualServices() {
        return config.virtualServices();
    }

    public Optional<DestinationRule> destinationRule(String hostname, String proxyNamespace) {
        String serviceNamespace = service(hostname).map(Service::namespace).orElse(proxyNamespace);
        return config.destinationRules().lookup(hostname, serviceNamespace, proxyNamespace);
    }

    /**
     * What a service's clusters and endpoint sets depend on for a proxy of {@code proxyNamespace}: the
     * DestinationRules that apply (policies, subsets). Proxies of namespaces that see the same rules share them,
     * so the number of cached clusters and endpoint sets follows the config, not the namespaces proxies claim.
     */
    public List<ConfigKey> destinationRuleScope(String hostname, String proxyNamespace) {
        String serviceNamespace = service(hostname).map(Service::namespace).orElse(proxyNamespace);
        return config.destinationRules().applicableKeys(hostname, serviceNamespace, proxyNamespace);
    }

    /**
     * The hosts (resolved) a VirtualService or DestinationRule with this key routes or configures; empty
     * when it does not exist here. Empty for other kinds: see {@link #isHostScoped}.
     */
    public List<String> hostsOf(ConfigKey key) {
        return switch (key.kind()) {
            case VIRTUAL_SERVICE -> config.virtualServices().hostsOf(key);
            case DESTINATION_RULE -> config.destinationRules().hostsOf(key);
            default -> List.of();
        };
    }

    /** True for the kinds whose effect on a proxy depends only on the hosts they name ({@link #hostsOf}). */
    public static boolean isHostScoped(ConfigKind kind) {
        return kind == ConfigKind.VIRTUAL_SERVICE || kind == ConfigKind.DESTINATION_RULE;
    }

    public SidecarScope sidecarScope(Proxy proxy) {
        return scopes.get(new ScopeKey(proxy.namespace(), proxy.labels()),
                k -> config.sidecars().scopeFor(k.namespace(), k.labels()));
    }

    public MtlsMode mtlsMode(Proxy proxy, int port) {
        return config.peerAuthentications().modeFor(proxy.namespace(), proxy.labels(), port);
    }

    public GatewayIndex gateways() {
        return config.gateways();
    }
}
