package dev.mizzen.pilot.model;

/**
 * Mesh-wide settings that config semantics depend on.
 *
 * @param domainSuffix  the cluster's DNS suffix, {@code cluster.local}
 * @param rootNamespace the namespace whose config applies mesh-wide, {@code istio-system}
 */
public record MeshSettings(String domainSuffix, String rootNamespace) {
    public static final MeshSettings DEFAULT = new MeshSettings("cluster.local", "istio-system");
}
