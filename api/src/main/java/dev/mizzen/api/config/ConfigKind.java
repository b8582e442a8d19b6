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
 * The Istio config kinds Mizzen understands, with the Kubernetes coordinates they are served under.
 * Every kind is served by the apiserver in several versions with one schema; we read any of them.
 */
public enum ConfigKind {
    VIRTUAL_SERVICE(Group.NETWORKING, "VirtualService", "virtualservices"),
    DESTINATION_RULE(Group.NETWORKING, "DestinationRule", "destinationrules"),
    GATEWAY(Group.NETWORKING, "Gateway", "gateways"),
    SERVICE_ENTRY(Group.NETWORKING, "ServiceEntry", "serviceentries"),
    WORKLOAD_ENTRY(Group.NETWORKING, "WorkloadEntry", "workloadentries"),
    SIDECAR(Group.NETWORKING, "Sidecar", "sidecars"),
    PEER_AUTHENTICATION(Group.SECURITY, "PeerAuthentication", "peerauthentications"),
    AUTHORIZATION_POLICY(Group.SECURITY, "AuthorizationPolicy", "authorizationpolicies"),
    REQUEST_AUTHENTICATION(Group.SECURITY, "RequestAuthentication", "requestauthentications");

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

    private final Group group;
    private final String kind;
    private final String plural;

    ConfigKind(Group group, String kind, String plural) {
        this.group = group;
        this.kind = kind;
        this.plural = plural;
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
    public Class<?> specType() {
        return switch (this) {
            case VIRTUAL_SERVICE -> VirtualService.class;
            case DESTINATION_RULE -> DestinationRule.class;
            case GATEWAY -> Gateway.class;
            case SERVICE_ENTRY -> ServiceEntry.class;
            case WORKLOAD_ENTRY -> WorkloadEntry.class;
            case SIDECAR -> Sidecar.class;
            case PEER_AUTHENTICATION -> PeerAuthentication.class;
            case AUTHORIZATION_POLICY -> AuthorizationPolicy.class;
            case REQUEST_AUTHENTICATION -> RequestAuthentication.class;
        };
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
    public static Optional<ConfigKind> of(String apiVersion, String kind) {
        if (apiVersion == null || kind == null) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String groupName = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return Arrays.stream(values())
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
}
