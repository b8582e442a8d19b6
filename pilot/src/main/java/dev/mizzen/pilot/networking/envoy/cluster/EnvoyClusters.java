package dev.mizzen.pilot.networking.envoy.cluster;

import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * CDS for Envoy: a sidecar gets outbound clusters for every service port in its scope, inbound clusters
 * for its own workload, and the black hole and passthrough clusters; a gateway gets the outbound clusters
 * and the black hole. Sorted by name. Pure.
 */
public final class EnvoyClusters {
    private EnvoyClusters() {
    }

    /**
     * The clusters, packed and sorted by name, with each service port's outbound clusters taken from
     * {@code outbound} ({@link OutboundClusters#build}): they depend on the proxy's namespace only (the
     * DestinationRule that applies), so a generator may share them between all proxies of a namespace.
     */
    public static List<XdsResource> resources(Proxy proxy, PushContext push,
                                              BiFunction<Service, ServicePort, List<XdsResource>> outbound) {
        List<XdsResource> out = new ArrayList<>();
        for (Service service : push.servicesFor(proxy)) {
            for (ServicePort port : service.ports()) {
                out.addAll(outbound.apply(service, port));
            }
        }
        local(proxy, push).forEach(c -> out.add(XdsResource.of(c.getName(), c)));
        out.sort(Comparator.comparing(XdsResource::name));
        return out;
    }

    /** The clusters that are not a service's: the black hole, and for a sidecar its inbound and passthrough ones. */
    private static List<Cluster> local(Proxy proxy, PushContext push) {
        List<Cluster> out = new ArrayList<>();
        out.add(SpecialClusters.blackHole());
        if (proxy.type() == ProxyType.SIDECAR) {
            out.addAll(InboundClusters.build(proxy, push));
            out.add(SpecialClusters.passthrough());
            out.add(SpecialClusters.inboundPassthrough());
        }
        return out;
    }
}
