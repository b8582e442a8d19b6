package dev.mizzen.pilot.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.pilot.networking.envoyfilter.ProxyPatches;
import dev.mizzen.pilot.networking.telemetry.ProxyTelemetry;
import dev.mizzen.pilot.networking.wasm.WasmPluginIndex;
import dev.mizzen.pilot.security.authn.FakeJwks;
import dev.mizzen.pilot.security.authn.JwksSource;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Everything a push generates config from: one consistent view of the registry and the Istio config,
 * indexed once. A full push builds it anew; an endpoint-only push derives one with new endpoints and keeps the
 * rest (the config indexes, the converted ServiceEntries, the sorted services, the sidecar scopes, the security
 * policies with their JWT keys). Immutable
 * (the scope memo only caches what the indexes would compute again); generators read it from many threads.
 */
public final class PushContext {
    private final long version;
    private final MeshSettings mesh;
    private final ConfigIndexes config;
    private final SecurityPolicies security;
    /** Kubernetes services over ServiceEntry hosts of the same name, by hostname */
    private final Map<String, Service> services;
    private final List<Service> sortedServices;
    /** the Kubernetes registry of this push: its endpoints and credentials (its services are in {@link #services}) */
    private final RegistrySnapshot kubernetes;
    private final Cache<ScopeKey, SidecarScope> scopes;

    private final Cache<RuleKey, DestinationRuleIndex.Applicable> rules;

    private record ScopeKey(String namespace, Map<String, String> labels) {
    }

    private record RuleKey(String hostname, String proxyNamespace) {
    }

    private PushContext(long version, MeshSettings mesh, ConfigIndexes config, SecurityPolicies security,
                        Map<String, Service> services, List<Service> sortedServices, RegistrySnapshot kubernetes,
                        Memos memos) {
        this.version = version;
        this.mesh = mesh;
        this.config = config;
        this.security = security;
        this.services = services;
        this.sortedServices = sortedServices;
        this.kubernetes = kubernetes;
        this.scopes = memos.scopes();
        this.rules = memos.rules();
    }

    /**
     * What the indexes would compute again for each proxy, remembered for the config of a push (an endpoint-only
     * push keeps them). Bounded: a plaintext proxy claims its own namespace and labels.
     */
    private record Memos(Cache<ScopeKey, SidecarScope> scopes, Cache<RuleKey, DestinationRuleIndex.Applicable> rules) {
        static Memos fresh() {
            return new Memos(Caffeine.newBuilder().maximumSize(50_000).build(),
                    Caffeine.newBuilder().maximumSize(200_000).build());
        }
    }

    /** A push context without fetched JWT keys: tokens of issuers whose keys are not inline are rejected. */
    public static PushContext build(long version, MeshSettings mesh, RegistrySnapshot kubernetes, ConfigSnapshot configs) {
        return build(version, mesh, kubernetes, configs, (issuer, uri) -> FakeJwks.JSON);
    }

    /** @param jwks istiod's JWKS cache: the keys the RequestAuthentications name are read from it once, here */
    public static PushContext build(long version, MeshSettings mesh, RegistrySnapshot kubernetes, ConfigSnapshot configs,
                                    JwksSource jwks) {
        ConfigIndexes config = ConfigIndexes.of(configs, mesh);
        Map<String, Service> services = new HashMap<>(config.serviceEntries().services());
        services.putAll(kubernetes.services());
        Map<String, Service> byHost = Map.copyOf(services);
        List<Service> sorted = services.values().stream().sorted(Comparator.comparing(Service::hostname)).toList();
        SecurityPolicies security = SecurityPolicies.of(config, mesh, h -> Optional.ofNullable(byHost.get(h)), jwks);
        return new PushContext(version, mesh, config, security, byHost, sorted, kubernetes, Memos.fresh());
    }

    /**
     * The same config and services with the endpoints of a newer registry view: what an endpoint-only push needs
     * (a change of services or Secrets is a full push).
     */
    public PushContext withEndpoints(long newVersion, RegistrySnapshot newRegistry) {
        return new PushContext(newVersion, mesh, config, security, services, sortedServices, newRegistry,
                new Memos(scopes, rules));
    }

    public long version() {
        return version;
    }

    public MeshSettings mesh() {
        return mesh;
    }

    /** The Istio config this push was built from. */
    public ConfigSnapshot configs() {
        return config.snapshot();
    }

    public Optional<Service> service(String hostname) {
        return Optional.ofNullable(services.get(hostname));
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

    /** A Kubernetes service's endpoints, else a ServiceEntry's (the Kubernetes service wins a shared name). */
    public List<Endpoint> endpoints(String hostname) {
        List<Endpoint> fromKubernetes = kubernetes.endpoints().get(hostname);
        return fromKubernetes != null ? fromKubernetes
                : config.serviceEntries().endpoints().getOrDefault(hostname, List.of());
    }

    /** The SPIFFE identities a service's endpoints run as: what mTLS to it must verify, sorted. */
    public List<String> identitiesOf(Service service) {
        TreeSet<String> out = new TreeSet<>();
        for (Endpoint e : endpoints(service.hostname())) {
            if (!e.serviceAccount().isEmpty()) {
                out.add(mesh.spiffeId(e.namespace(), e.serviceAccount()));
            }
        }
        return List.copyOf(out);
    }

    public Optional<TlsCredential> credential(String namespace, String name) {
        return kubernetes.credential(namespace, name);
    }

    public VirtualServiceIndex virtualServices() {
        return config.virtualServices();
    }

    public Optional<DestinationRule> destinationRule(String hostname, String proxyNamespace) {
        return destinationRules(hostname, proxyNamespace).rule();
    }

    /**
     * The DestinationRules of a host for a proxy namespace, looked up once per push: generators ask for every
     * cluster and endpoint set of every proxy, and the lookup scans wildcard hosts.
     */
    private DestinationRuleIndex.Applicable destinationRules(String hostname, String proxyNamespace) {
        return rules.get(new RuleKey(hostname, proxyNamespace), k -> config.destinationRules().lookup(hostname,
                service(hostname).map(Service::namespace).orElse(proxyNamespace), proxyNamespace));
    }

    /**
     * What a service's clusters and endpoint sets depend on for a proxy of {@code proxyNamespace}: the
     * DestinationRules that apply (policies, subsets). Proxies of namespaces that see the same rules share them,
     * so the number of cached clusters and endpoint sets follows the config, not the namespaces proxies claim.
     */
    public List<ConfigKey> destinationRuleScope(String hostname, String proxyNamespace) {
        return destinationRules(hostname, proxyNamespace).keys();
    }

    /**
     * The hosts (resolved) a VirtualService or DestinationRule with this key routes or configures; empty
     * when it does not exist here. Empty for other kinds: see {@link #isHostScoped}.
     */
    public List<String> hostsOf(ConfigKey key) {
        if (key.kind() == ConfigKind.VIRTUAL_SERVICE) {
            return config.virtualServices().hostsOf(key);
        }
        if (key.kind() == ConfigKind.DESTINATION_RULE) {
            return config.destinationRules().hostsOf(key);
        }
        return List.of();
    }

    /** True for the kinds whose effect on a proxy depends only on the hosts they name ({@link #hostsOf}). */
    public static boolean isHostScoped(ConfigKind<?> kind) {
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

    /** The EnvoyFilter patches that apply to a proxy, in the order they apply. */
    public ProxyPatches envoyFilters(Proxy proxy) {
        if (config.envoyFilters().isEmpty()) {
            return ProxyPatches.NONE;
        }
        return config.envoyFilters().forProxy(proxy.namespace(), proxy.labels(), proxy.metadata());
    }

    /**
     * A proxy's telemetry (Telemetry resources over the mesh's providers and defaults): its stats filters,
     * access logs and tracing by listener class.
     */
    public ProxyTelemetry telemetry(Proxy proxy) {
        String app = proxy.labels().getOrDefault("service.istio.io/canonical-name",
                proxy.labels().getOrDefault("app", proxy.podName()));
        return ProxyTelemetry.of(config.telemetries().forProxy(proxy.namespace(), proxy.labels()), mesh.telemetry(),
                app + "." + proxy.namespace());
    }

    /** The WasmPlugins that apply to a proxy, by priority. */
    public List<WasmPluginIndex.Plugin> wasmPlugins(Proxy proxy) {
        return config.wasmPlugins().isEmpty() ? List.of() : config.wasmPlugins().forProxy(proxy.namespace(), proxy.labels());
    }

    /** AuthorizationPolicies, RequestAuthentications and what their translation needs. */
    public SecurityPolicies security() {
        return security;
    }
}
