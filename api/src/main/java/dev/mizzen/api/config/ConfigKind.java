package dev.mizzen.api.config;

import dev.mizzen.api.extensions.WasmPlugin;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.EnvoyFilter;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.ProxyConfig;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.Sidecar;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.api.networking.WorkloadGroup;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.PeerAuthentication;
import dev.mizzen.api.security.RequestAuthentication;
import dev.mizzen.api.telemetry.Telemetry;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An Istio config kind Mizzen understands, typed by the record its {@code spec} is read into, with the
 * Kubernetes coordinates it is served under. Most kinds are served by the apiserver in several versions with
 * one schema; we read any of them. The constants are the only instances, so kinds compare by identity.
 *
 * @param <S> the spec record, e.g. {@link VirtualService}
 */
public final class ConfigKind<S> implements Comparable<ConfigKind<?>> {
    public static final ConfigKind<VirtualService> VIRTUAL_SERVICE = new ConfigKind<>(0, Group.NETWORKING,
            "VirtualService", "virtualservices", VirtualService.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<DestinationRule> DESTINATION_RULE = new ConfigKind<>(1, Group.NETWORKING,
            "DestinationRule", "destinationrules", DestinationRule.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<Gateway> GATEWAY = new ConfigKind<>(2, Group.NETWORKING,
            "Gateway", "gateways", Gateway.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<ServiceEntry> SERVICE_ENTRY = new ConfigKind<>(3, Group.NETWORKING,
            "ServiceEntry", "serviceentries", ServiceEntry.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<WorkloadEntry> WORKLOAD_ENTRY = new ConfigKind<>(4, Group.NETWORKING,
            "WorkloadEntry", "workloadentries", WorkloadEntry.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<Sidecar> SIDECAR = new ConfigKind<>(5, Group.NETWORKING,
            "Sidecar", "sidecars", Sidecar.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<PeerAuthentication> PEER_AUTHENTICATION = new ConfigKind<>(6, Group.SECURITY,
            "PeerAuthentication", "peerauthentications", PeerAuthentication.class, "v1", "v1beta1");
    public static final ConfigKind<AuthorizationPolicy> AUTHORIZATION_POLICY = new ConfigKind<>(7, Group.SECURITY,
            "AuthorizationPolicy", "authorizationpolicies", AuthorizationPolicy.class, "v1", "v1beta1");
    public static final ConfigKind<RequestAuthentication> REQUEST_AUTHENTICATION = new ConfigKind<>(8, Group.SECURITY,
            "RequestAuthentication", "requestauthentications", RequestAuthentication.class, "v1", "v1beta1");
    public static final ConfigKind<WorkloadGroup> WORKLOAD_GROUP = new ConfigKind<>(9, Group.NETWORKING,
            "WorkloadGroup", "workloadgroups", WorkloadGroup.class, "v1", "v1beta1", "v1alpha3");
    public static final ConfigKind<EnvoyFilter> ENVOY_FILTER = new ConfigKind<>(10, Group.NETWORKING,
            "EnvoyFilter", "envoyfilters", EnvoyFilter.class, "v1alpha3");
    public static final ConfigKind<ProxyConfig> PROXY_CONFIG = new ConfigKind<>(11, Group.NETWORKING,
            "ProxyConfig", "proxyconfigs", ProxyConfig.class, "v1beta1");
    public static final ConfigKind<Telemetry> TELEMETRY = new ConfigKind<>(12, Group.TELEMETRY,
            "Telemetry", "telemetries", Telemetry.class, "v1", "v1alpha1");
    public static final ConfigKind<WasmPlugin> WASM_PLUGIN = new ConfigKind<>(13, Group.EXTENSIONS,
            "WasmPlugin", "wasmplugins", WasmPlugin.class, "v1alpha1");

    private static final List<ConfigKind<?>> ALL = List.of(VIRTUAL_SERVICE, DESTINATION_RULE, GATEWAY, SERVICE_ENTRY,
            WORKLOAD_ENTRY, SIDECAR, PEER_AUTHENTICATION, AUTHORIZATION_POLICY, REQUEST_AUTHENTICATION, WORKLOAD_GROUP,
            ENVOY_FILTER, PROXY_CONFIG, TELEMETRY, WASM_PLUGIN);

    /** API groups of Istio config. */
    public enum Group {
        NETWORKING("networking.istio.io"),
        SECURITY("security.istio.io"),
        TELEMETRY("telemetry.istio.io"),
        EXTENSIONS("extensions.istio.io");

        private final String name;

        Group(String name) {
            this.name = name;
        }

        public String groupName() {
            return name;
        }

        public static Optional<Group> byName(String group) {
            return Arrays.stream(values()).filter(g -> g.name.equals(group)).findFirst();
        }
    }

    private final int order;
    private final Group group;
    private final String kind;
    private final String plural;
    private final Class<S> specType;
    private final List<String> versions;

    private ConfigKind(int order, Group group, String kind, String plural, Class<S> specType, String... versions) {
        this.versions = List.of(versions);
        this.order = order;
        this.group = group;
        this.kind = kind;
        this.plural = plural;
        this.specType = specType;
    }

    /** Every kind, in a fixed order. */
    public static List<ConfigKind<?>> all() {
        return ALL;
    }

    public Group group() {
        return group;
    }

    /** The Kubernetes kind, e.g. {@code VirtualService}. */
    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** The record the {@code spec} of this kind is read into, e.g. {@code VirtualService.class}. */
    public Class<S> specType() {
        return specType;
    }

    /** The spec as this kind's record; a spec of another type is a programming error. */
    public S cast(Object spec) {
        return specType.cast(spec);
    }

    /** The config as one of this kind's; a config of another kind is a programming error. */
    @SuppressWarnings("unchecked")
    public Config<S> cast(Config<?> config) {
        if (config.key().kind() != this) {
            throw new ClassCastException(config.key() + " is not a " + kind);
        }
        return (Config<S>) config;
    }

    /** The versions Istio's CRD serves, newest first. */
    public List<String> versions() {
        return versions;
    }

    /** The version we watch and write: the newest one Istio's CRD serves. */
    public String preferredVersion() {
        return versions.get(0);
    }

    public String apiVersion(String version) {
        return group.groupName() + "/" + version;
    }

    public boolean servesVersion(String version) {
        return versions.contains(version);
    }

    /**
     * Finds the kind of an {@code apiVersion} + {@code kind} pair, or empty when it is not Istio config we know.
     * The version does not matter, as in Istio's webhook: every version of a kind has the same schema, and one
     * served by a newer CRD than ours is still the same kind.
     */
    public static Optional<ConfigKind<?>> of(String apiVersion, String kind) {
        if (apiVersion == null || kind == null) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String groupName = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return ALL.stream()
                .filter(k -> k.group.groupName().equals(groupName) && k.kind.equals(kind) && !version.isEmpty())
                .findFirst();
    }

    /** The kinds we know in an API group, sorted by name: what a refusal of an unknown kind lists. */
    public static List<String> kindsOf(String groupName) {
        return ALL.stream().filter(k -> k.group.groupName().equals(groupName)).map(ConfigKind::kind).sorted().toList();
    }

    /** True when the apiVersion belongs to one of Istio's config groups, known kind or not. */
    public static boolean isIstioGroup(String apiVersion) {
        if (apiVersion == null || apiVersion.indexOf('/') < 0) {
            return false;
        }
        String groupName = apiVersion.substring(0, apiVersion.indexOf('/'));
        return groupName.endsWith(".istio.io");
    }

    @Override
    public int compareTo(ConfigKind<?> other) {
        return Integer.compare(order, other.order);
    }

    @Override
    public String toString() {
        return kind;
    }
}
