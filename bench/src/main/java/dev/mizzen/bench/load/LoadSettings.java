package dev.mizzen.bench.load;

import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import dev.mizzen.bench.proxy.XdsProtocol;

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
 * @param protocol       the variant of ADS the proxies speak (delta: sidecars only, as grpc-java speaks state of
 *                       the world)
 */
public record LoadSettings(int services, int endpoints, int namespaces, int proxies, int servicesPerProxy,
                           int replicas, int connections, double churnPerSecond, Duration churnDuration,
                           int configChanges, int bareRounds, ProxyMode mode, SidecarScope sidecarScope,
                           int clientThreads, Duration timeout,
                           long seed, XdsProtocol protocol) {
    public LoadSettings {
        if (proxies < 1 || connections < 1 || clientThreads < 1 || configChanges < 1 || bareRounds < 1) {
            throw new IllegalArgumentException("proxies, connections, client threads, config changes and bare rounds must be >= 1");
        }
        if (churnPerSecond < 0 || churnDuration.isNegative()) {
            throw new IllegalArgumentException("churn rate and duration must not be negative");
        }
        if (protocol == XdsProtocol.DELTA && mode != ProxyMode.SIDECAR) {
            throw new IllegalArgumentException("delta xDS is for sidecars: grpc-java's xDS client (proxyless) speaks "
                    + "state of the world only");
        }
        connections = Math.min(connections, proxies);
    }

    /** A run of state-of-the-world proxies. */
    public LoadSettings(int services, int endpoints, int namespaces, int proxies, int servicesPerProxy,
                        int replicas, int connections, double churnPerSecond, Duration churnDuration,
                        int configChanges, int bareRounds, ProxyMode mode, SidecarScope sidecarScope,
                        int clientThreads, Duration timeout, long seed) {
        this(services, endpoints, namespaces, proxies, servicesPerProxy, replicas, connections, churnPerSecond,
                churnDuration, configChanges, bareRounds, mode, sidecarScope, clientThreads, timeout, seed,
                XdsProtocol.SOTW);
    }

    public MeshShape shape() {
        return new MeshShape(services, endpoints, namespaces, servicesPerProxy, replicas);
    }
}
