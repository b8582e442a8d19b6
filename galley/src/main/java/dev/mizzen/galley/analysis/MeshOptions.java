package dev.mizzen.galley.analysis;

import java.util.Map;

/**
 * The mesh settings analysis depends on.
 *
 * @param rootNamespace    Istio's root namespace (config there applies mesh-wide), {@code istio-system}
 * @param clusterDomain    the Kubernetes DNS domain, {@code cluster.local}
 * @param dnsAutoAllocate  whether ServiceEntries get addresses allocated (DNS capture and auto allocation on),
 *                         which makes IST0134 moot
 */
public record MeshOptions(String rootNamespace, String clusterDomain, DnsAllocation dnsAutoAllocate) {
    /** Whether the mesh allocates virtual IPs to ServiceEntries that have none. */
    public enum DnsAllocation { OFF, ON }

    public static final MeshOptions DEFAULT = new MeshOptions("istio-system", "cluster.local", DnsAllocation.OFF);

    /**
     * The options a MeshConfig (as in Istio's {@code istio} ConfigMap, {@code mesh} key) sets: its root namespace
     * and trust domain's defaults kept, address allocation on when the default proxy metadata turns DNS capture on
     * with auto allocation ({@code ISTIO_META_DNS_AUTO_ALLOCATE} or {@code PILOT_ENABLE_IP_AUTOALLOCATE}), as
     * Istio's ServiceEntry analyzer reads it.
     */
    public static MeshOptions fromMeshConfig(String rootNamespace, Map<String, Object> meshConfig) {
        String root = KubeObjects.str(meshConfig.get("rootNamespace"));
        Map<String, String> metadata = KubeObjects.strings(
                KubeObjects.map(KubeObjects.map(meshConfig.get("defaultConfig")).get("proxyMetadata")));
        boolean allocate = "true".equals(metadata.get("ISTIO_META_DNS_CAPTURE"))
                && ("true".equals(metadata.get("ISTIO_META_DNS_AUTO_ALLOCATE"))
                || "true".equals(metadata.get("PILOT_ENABLE_IP_AUTOALLOCATE")));
        return new MeshOptions(root.isEmpty() ? rootNamespace : root, DEFAULT.clusterDomain(),
                allocate ? DnsAllocation.ON : DnsAllocation.OFF);
    }

    public MeshOptions {
        rootNamespace = rootNamespace == null || rootNamespace.isEmpty() ? "istio-system" : rootNamespace;
        clusterDomain = clusterDomain == null || clusterDomain.isEmpty() ? "cluster.local" : clusterDomain;
        dnsAutoAllocate = dnsAutoAllocate == null ? DnsAllocation.OFF : dnsAutoAllocate;
    }
}
