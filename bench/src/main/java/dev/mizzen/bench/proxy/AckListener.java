package dev.mizzen.bench.proxy;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;

import java.util.List;

/** Hears every ACK of a fleet; called on the proxy's stream thread under its lock, so it must be quick. */
@FunctionalInterface
public interface AckListener {
    void onAck(SimulatedProxy proxy, DiscoveryResponse response, List<ResourceInfo> resources, long ackNanos);
}
