package dev.mizzen.galley.analysis;

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

    public MeshOptions {
        rootNamespace = rootNamespace == null || rootNamespace.isEmpty() ? "istio-system" : rootNamespace;
        clusterDomain = clusterDomain == null || clusterDomain.isEmpty() ? "cluster.local" : clusterDomain;
        dnsAutoAllocate = dnsAutoAllocate == null ? DnsAllocation.OFF : dnsAutoAllocate;
    }
}
