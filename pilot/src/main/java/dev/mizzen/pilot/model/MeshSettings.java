package dev.mizzen.pilot.model;

/**
 * Mesh-wide settings that config semantics depend on.
 *
 * @param domainSuffix  the cluster's DNS suffix, {@code cluster.local}
 * @param rootNamespace the namespace whose config applies mesh-wide, {@code istio-system}
 * @param trustDomain   the trust domain of workload identities, {@code cluster.local}
 */
public record MeshSettings(String domainSuffix, String rootNamespace, String trustDomain) {
    public static final MeshSettings DEFAULT = new MeshSettings("cluster.local", "istio-system", "cluster.local");

    /** The SPIFFE identity of a service account: {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
    public String spiffeId(String namespace, String serviceAccount) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
