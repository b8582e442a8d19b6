package dev.mizzen.pilot.model;

import dev.mizzen.pilot.security.authz.ExtAuthzProvider;

import java.util.List;
import java.util.Objects;

/**
 * Mesh-wide settings that config semantics depend on.
 *
 * @param domainSuffix       the cluster's DNS suffix, {@code cluster.local}
 * @param rootNamespace      the namespace whose config applies mesh-wide, {@code istio-system}
 * @param trustDomain        the trust domain of workload identities, {@code cluster.local}
 * @param trustDomainAliases other trust domains whose identities count as this one's in AuthorizationPolicies
 *                           (meshConfig {@code trustDomainAliases}, for a trust domain migration)
 * @param extensionProviders the authorizers CUSTOM AuthorizationPolicies name (meshConfig
 *                           {@code extensionProviders}), each service as written ({@code [<namespace>/]<host>});
 *                           the push context resolves it against the registry
 * @param telemetry          the telemetry providers and defaults of the mesh config
 */
public record MeshSettings(String domainSuffix, String rootNamespace, String trustDomain, List<String> trustDomainAliases,
                           List<ExtAuthzProvider> extensionProviders, MeshTelemetry telemetry) {
    public static final MeshSettings DEFAULT = of("cluster.local", "istio-system", "cluster.local");

    public MeshSettings {
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        Objects.requireNonNull(rootNamespace, "rootNamespace");
        Objects.requireNonNull(trustDomain, "trustDomain");
        trustDomainAliases = List.copyOf(trustDomainAliases);
        extensionProviders = List.copyOf(extensionProviders);
        telemetry = telemetry == null ? MeshTelemetry.ISTIO_DEFAULT : telemetry;
    }

    /** Settings with Istio's default telemetry (Prometheus metrics, metadata exchange, no access log). */
    public MeshSettings(String domainSuffix, String rootNamespace, String trustDomain, List<String> trustDomainAliases,
                        List<ExtAuthzProvider> extensionProviders) {
        this(domainSuffix, rootNamespace, trustDomain, trustDomainAliases, extensionProviders, MeshTelemetry.ISTIO_DEFAULT);
    }

    public MeshSettings withTelemetry(MeshTelemetry newTelemetry) {
        return new MeshSettings(domainSuffix, rootNamespace, trustDomain, trustDomainAliases, extensionProviders,
                newTelemetry);
    }

    /** Settings without trust domain aliases and extension providers. */
    public static MeshSettings of(String domainSuffix, String rootNamespace, String trustDomain) {
        return new MeshSettings(domainSuffix, rootNamespace, trustDomain, List.of(), List.of());
    }

    public MeshSettings withTrustDomainAliases(List<String> aliases) {
        return new MeshSettings(domainSuffix, rootNamespace, trustDomain, aliases, extensionProviders, telemetry);
    }

    public MeshSettings withExtensionProviders(List<ExtAuthzProvider> providers) {
        return new MeshSettings(domainSuffix, rootNamespace, trustDomain, trustDomainAliases, providers, telemetry);
    }

    /** The SPIFFE identity of a service account: {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
    public String spiffeId(String namespace, String serviceAccount) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
