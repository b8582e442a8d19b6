package dev.mizzen.galley.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mesh settings analysis depends on.
 *
 * @param rootNamespace    Istio's root namespace (config there applies mesh-wide), {@code istio-system}
 * @param clusterDomain    the Kubernetes DNS domain, {@code cluster.local}
 * @param dnsAutoAllocate  whether ServiceEntries get addresses allocated (DNS capture and auto allocation on),
 *                         which makes IST0134 moot
 * @param defaultAccessLogging the access log providers that apply when a Telemetry names none
 *                         ({@code defaultProviders.accessLogging})
 * @param lightstepProviders the extension providers of the deprecated Lightstep kind, by name
 * @param proxyImageType the proxy image variant by default ({@code defaultConfig.image.imageType}: {@code ""},
 *                         {@code distroless}, {@code debug})
 */
public record MeshOptions(String rootNamespace, String clusterDomain, DnsAllocation dnsAutoAllocate,
                          List<String> defaultAccessLogging, Set<String> lightstepProviders, String proxyImageType) {
    /** Whether the mesh allocates virtual IPs to ServiceEntries that have none. */
    public enum DnsAllocation { OFF, ON }

    public static final MeshOptions DEFAULT = new MeshOptions("istio-system", "cluster.local", DnsAllocation.OFF);

    /** Options without default access logging or Lightstep providers. */
    public MeshOptions(String rootNamespace, String clusterDomain, DnsAllocation dnsAutoAllocate) {
        this(rootNamespace, clusterDomain, dnsAutoAllocate, List.of(), Set.of(), "");
    }

    /**
     * The options a MeshConfig (as in Istio's {@code istio} ConfigMap, {@code mesh} key) sets: its root namespace
     * ({@code rootNamespace} when absent), default access log providers, Lightstep providers, the proxy image type, and
     * address allocation
     * on when the default proxy metadata turns DNS capture on with auto allocation ({@code ISTIO_META_DNS_AUTO_ALLOCATE}
     * or {@code PILOT_ENABLE_IP_AUTOALLOCATE}), as Istio's ServiceEntry analyzer reads it.
     */
    public static MeshOptions fromMeshConfig(String rootNamespace, Map<String, Object> meshConfig) {
        String root = KubeObjects.str(meshConfig.get("rootNamespace"));
        Map<String, String> metadata = KubeObjects.strings(
                KubeObjects.map(KubeObjects.map(meshConfig.get("defaultConfig")).get("proxyMetadata")));
        boolean allocate = "true".equals(metadata.get("ISTIO_META_DNS_CAPTURE"))
                && ("true".equals(metadata.get("ISTIO_META_DNS_AUTO_ALLOCATE"))
                || "true".equals(metadata.get("PILOT_ENABLE_IP_AUTOALLOCATE")));
        List<String> accessLogging = new ArrayList<>();
        for (Object o : KubeObjects.list(KubeObjects.map(meshConfig.get("defaultProviders")).get("accessLogging"))) {
            accessLogging.add(String.valueOf(o));
        }
        Set<String> lightstep = new TreeSet<>();
        for (Object o : KubeObjects.list(meshConfig.get("extensionProviders"))) {
            Map<String, Object> provider = KubeObjects.map(o);
            if (provider.containsKey("lightstep")) {
                lightstep.add(KubeObjects.str(provider.get("name")));
            }
        }
        return new MeshOptions(root.isEmpty() ? rootNamespace : root, DEFAULT.clusterDomain(),
                allocate ? DnsAllocation.ON : DnsAllocation.OFF, accessLogging, lightstep,
                KubeObjects.str(KubeObjects.map(KubeObjects.map(meshConfig.get("defaultConfig")).get("image"))
                        .get("imageType")));
    }

    public MeshOptions {
        rootNamespace = rootNamespace == null || rootNamespace.isEmpty() ? "istio-system" : rootNamespace;
        clusterDomain = clusterDomain == null || clusterDomain.isEmpty() ? "cluster.local" : clusterDomain;
        dnsAutoAllocate = dnsAutoAllocate == null ? DnsAllocation.OFF : dnsAutoAllocate;
        defaultAccessLogging = defaultAccessLogging == null ? List.of() : List.copyOf(defaultAccessLogging);
        lightstepProviders = lightstepProviders == null ? Set.of() : Set.copyOf(lightstepProviders);
        proxyImageType = proxyImageType == null ? "" : proxyImageType;
    }
}
