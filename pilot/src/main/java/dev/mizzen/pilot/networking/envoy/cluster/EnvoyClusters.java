package dev.mizzen.pilot.networking.envoy.cluster;

import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * CDS for Envoy: a sidecar gets outbound clusters for every service port in its scope, inbound clusters
 * for its own workload, and the black hole and passthrough clusters; a gateway gets the outbound clusters
 * and the black hole. Sorted by name. Pure.
 */
public final class EnvoyClusters {
    private EnvoyClusters() {
    }

    public static List<Cluster> build(Proxy proxy, PushContext push) {
        List<Cluster> out = new ArrayList<>();
        for (Service service : push.servicesFor(proxy)) {
            for (ServicePort port : service.ports()) {
                out.addAll(OutboundClusters.build(service, port, proxy, push));
            }
        }
        out.add(SpecialClusters.blackHole());
        if (proxy.type() == ProxyType.SIDECAR) {
            out.addAll(InboundClusters.build(proxy, push));
            out.add(SpecialClusters.passthrough());
            out.add(SpecialClusters.inboundPassthrough());
        }
        out.sort(Comparator.comparing(Cluster::getName));
        return out;
    }
}
