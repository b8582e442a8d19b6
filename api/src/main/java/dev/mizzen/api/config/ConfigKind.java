package dev.mizzen.api.config;

import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.Sidecar;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.PeerAuthentication;
import dev.mizzen.api.security.RequestAuthentication;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An Istio config kind Mizzen understands, typed by the record its {@code spec} is read into, with the
 * Kubernetes coordinates it is served under. Every kind is served by the apiserver in several versions with
 * one schema; we read any of them. The constants are the only instances, so kinds compare by identity.
 *
 * @param <S> the spec record, e.g. {@link VirtualService}
 */
public final class ConfigKind<S> implements Comparable<ConfigKind<?>> {
    public static final ConfigKind<VirtualService> VIRTUAL_SERVICE =
            new ConfigKind<>(0, Group.NETWORKING, "VirtualService", "virtualservices", VirtualService.class);
    public static final ConfigKind<DestinationRule> DESTINATION_RULE =
            new ConfigKind<>(1, Group.NETWORKING, "DestinationRule", "destinationrules", DestinationRule.class);
    public static final ConfigKind<Gateway> GATEWAY =
            new ConfigKind<>(2, Group.NETWORKING, "Gateway", "gateways", Gateway.class);
    public static final ConfigKind<ServiceEntry> SERVICE_ENTRY =
            new ConfigKind<>(3, Group.NETWORKING, "ServiceEntry", "serviceentries", ServiceEntry.class);
    public static final ConfigKind<WorkloadEntry> WORKLOAD_ENTRY =
            new ConfigKind<>(4, Group.NETWORKING, "WorkloadEntry", "workloadentries", WorkloadEntry.class);
    public static final ConfigKind<Sidecar> SIDECAR =
            new ConfigKind<>(5, Group.NETWORKING, "Sidecar", "sidecars", Sidecar.class);
    public static final ConfigKind<PeerAuthentication> PEER_AUTHENTICATION =
            new ConfigKind<>(6, Group.SECURITY, "PeerAuthentication", "peerauthentications", PeerAuthentication.class);
    public static final ConfigKind<AuthorizationPolicy> AUTHORIZATION_POLICY =
            new ConfigKind<>(7, Group.SECURITY, "AuthorizationPolicy", "authorizationpolicies", AuthorizationPolicy.class);
    public static final ConfigKind<RequestAuthentication> REQUEST_AUTHENTICATION =
            new ConfigKind<>(8, Group.SECURITY, "RequestAuthentication", "requestauthentications",
                    RequestAuthentication.class);

    private static final List<ConfigKind<?>> ALL = List.of(VIRTUAL_SERVICE, DESTINATION_RULE, GATEWAY, SERVICE_ENTRY,
            WORKLOAD_ENTRY, SIDECAR, PEER_AUTHENTICATION, AUTHORIZATION_POLICY, REQUEST_AUTHENTICATION);

    /** API groups of Istio config and the versions each serves (newest first). */
    public enum Group {
        NETWORKING("networking.istio.io", List.of("v1", "v1beta1", "v1alpha3")),
        SECURITY("security.istio.io", List.of("v1", "v1beta1"));

        private final String name;
        private final List<String> versions;

        Group(String name, List<String> versions) {
            this.name = name;
            this.versions = versions;
        }

        public String groupName() {
            return name;
        }

        public List<String> versions() {
            return versions;
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

    private ConfigKind(int order, Group group, String kind, String plural, Class<S> specType) {
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

    /** The version we read and write by default: the newest one the group serves. */
    public String preferredVersion() {
        return group.versions().get(0);
    }

    public String apiVersion(String version) {
        return group.groupName() + "/" + version;
    }

    public boolean servesVersion(String version) {
        return group.versions().contains(version);
    }

    /** Finds the kind of an {@code apiVersion} + {@code kind} pair, or empty when it is not Istio config we know. */
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
                .filter(k -> k.group.groupName().equals(groupName) && k.kind.equals(kind) && k.servesVersion(version))
                .findFirst();
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
