package dev.mizzen.pilot.networking.envoy.cluster;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.InboundPorts;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code inbound|<port>||} clusters: one per port the proxy's workload serves, delivering to the original
 * destination from 127.0.0.6 so that iptables passes it to the app. Pure.
 */
public final class InboundClusters {
    private InboundClusters() {
    }

    public static List<Cluster> build(Proxy proxy, PushContext push) {
        List<Cluster> out = new ArrayList<>();
        for (InboundPorts.InboundPort port : InboundPorts.of(proxy, push)) {
            Cluster.Builder cluster = SpecialClusters.originalDestination(ClusterName.inbound(port.targetPort()).toString())
                    .setUpstreamBindConfig(SpecialClusters.inboundBind())
                    .setMetadata(ClusterMetadata.of(port.service(), port.servicePort().port()));
            if (port.servicePort().protocol() == Protocol.HTTP2 || port.servicePort().protocol() == Protocol.GRPC) {
                ProtocolOptions.http2(cluster);
            }
            out.add(cluster.build());
        }
        return out;
    }
}
