package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.networking.IstioEgressListener;
import dev.mizzen.api.networking.Sidecar;

import java.util.ArrayList;
import java.util.List;

/**
 * What one proxy may reach: the egress hosts of the Sidecar resource that applies to it ({@code ns/host}
 * patterns), and what happens to traffic for unknown destinations. Without a Sidecar a proxy sees every
 * service exported to its namespace. The ports of egress listeners are not used to narrow further.
 *
 * @param source the Sidecar resource, or null for the default scope
 */
public record SidecarScope(Config<Sidecar> source, List<EgressHost> egressHosts, OutboundPolicy outboundPolicy) {
    /** ALLOW_ANY sends unknown destinations through as they are; REGISTRY_ONLY refuses them. */
    public enum OutboundPolicy { ALLOW_ANY, REGISTRY_ONLY }

    /** One {@code namespace/host} pattern: namespace {@code *}, {@code .} (the proxy's), {@code ~} (none), or a name. */
    public record EgressHost(String namespace, String host) {
        static EgressHost parse(String value) {
            int slash = value.indexOf('/');
            return slash < 0 ? new EgressHost("*", value) : new EgressHost(value.substring(0, slash), value.substring(slash + 1));
        }

        boolean matches(String configNamespace, String hostname, String proxyNamespace) {
            boolean namespaceMatches = switch (namespace) {
                case "*" -> true;
                case "~" -> false;
                case "." -> configNamespace.equals(proxyNamespace);
                default -> namespace.equals(configNamespace);
            };
            return namespaceMatches && (Hostnames.matches(host, hostname)
                    || (hostname.startsWith("*") && Hostnames.matches(hostname, host)));
        }
    }

    public static final SidecarScope DEFAULT = new SidecarScope(null, List.of(new EgressHost("*", "*")),
            OutboundPolicy.ALLOW_ANY);

    public SidecarScope {
        egressHosts = List.copyOf(egressHosts);
    }

    static SidecarScope of(Config<Sidecar> sidecar) {
        List<EgressHost> hosts = new ArrayList<>();
        for (IstioEgressListener egress : sidecar.spec().egress()) {
            egress.hosts().forEach(h -> hosts.add(EgressHost.parse(h)));
        }
        if (sidecar.spec().egress().isEmpty()) {
            hosts.add(new EgressHost("*", "*"));
        }
        OutboundPolicy policy = sidecar.spec().outboundTrafficPolicy() != null
                && "REGISTRY_ONLY".equals(sidecar.spec().outboundTrafficPolicy().mode())
                ? OutboundPolicy.REGISTRY_ONLY : OutboundPolicy.ALLOW_ANY;
        return new SidecarScope(sidecar, hosts, policy);
    }

    /** True when a service (of its namespace, exported to the proxy's) is in scope. */
    public boolean includes(Service service, String proxyNamespace) {
        if (!service.visibleTo(proxyNamespace)) {
            return false;
        }
        return egressHosts.stream().anyMatch(h -> h.matches(service.namespace(), service.hostname(), proxyNamespace));
    }

    /** True when config of {@code configNamespace} about {@code host} is in scope. */
    public boolean includesHost(String configNamespace, String host, String proxyNamespace) {
        return egressHosts.stream().anyMatch(h -> h.matches(configNamespace, host, proxyNamespace));
    }
}
