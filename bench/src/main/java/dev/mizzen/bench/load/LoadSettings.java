package dev.mizzen.bench.load;

import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;

import java.time.Duration;

/**
 * One load run: the mesh, the proxies and what to measure.
 *
 * @param connections    TCP connections the proxies share (stream i on connection i % connections); both
 *                       ends live in this process, so two file descriptors each
 * @param churnPerSecond EndpointSlice changes per second during the churn phase
 * @param configChanges  VirtualService edits of the shared service, one full push each
 * @param bareRounds     pushes of the captured bytes by the bare server
 * @param sidecarScope   what the proxies may reach: every service, or (Sidecar resources) their namespace's
 * @param clientThreads  event loop threads of the simulated proxies' transport
 * @param timeout        the longest any one phase may take to converge
 */
public record LoadSettings(int services, int endpoints, int namespaces, int proxies, int servicesPerProxy,
                           int replicas, int connections, double churnPerSecond, Duration churnDuration,
                           int configChanges, int bareRounds, ProxyMode mode, SidecarScope sidecarScope,
                           int clientThreads, Duration timeout,
                           long seed) {
    public LoadSettings {
        if (proxies < 1 || connections < 1 || clientThreads < 1 || configChanges < 1 || bareRounds < 1) {
            throw new IllegalArgumentException("proxies, connections, client threads, config changes and bare rounds must be >= 1");
        }
        if (churnPerSecond < 0 || churnDuration.isNegative()) {
            throw new IllegalArgumentException("churn rate and duration must not be negative");
        }
        connections = Math.min(connections, proxies);
    }

    public MeshShape shape() {
        return new MeshShape(services, endpoints, namespaces, servicesPerProxy, replicas);
    }
}
