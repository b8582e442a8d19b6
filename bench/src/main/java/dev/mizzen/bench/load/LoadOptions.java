package dev.mizzen.bench.load;

import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import dev.mizzen.bench.proxy.XdsProtocol;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The options of a load run, shared by {@code bench load} and {@code bench compare}. */
public final class LoadOptions {
    @Option(names = {"-s", "--services"}, defaultValue = "1000", description = "Services (default ${DEFAULT-VALUE}).")
    int services;

    @Option(names = {"-e", "--endpoints"}, defaultValue = "20", description = "Endpoints (pods) per service (default ${DEFAULT-VALUE}).")
    int endpoints;

    @Option(names = {"-p", "--proxies"}, defaultValue = "10000", description = "Simulated proxies (default ${DEFAULT-VALUE}).")
    int proxies;

    @Option(names = "--services-per-proxy", defaultValue = "5",
            description = "Services each proxy calls, the shared one included (default ${DEFAULT-VALUE}).")
    int servicesPerProxy;

    @Option(names = "--replicas", defaultValue = "10",
            description = "Proxies per client workload, which share labels and so config (default ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--namespaces", defaultValue = "10", description = "Namespaces (default ${DEFAULT-VALUE}).")
    int namespaces;

    @Option(names = "--connections", defaultValue = "9000",
            description = "TCP connections the proxies share, at most one per proxy (default ${DEFAULT-VALUE}; "
                    + "both ends are in this process, so it needs two file descriptors per connection).")
    int connections;

    @Option(names = "--churn-rate", defaultValue = "5", description = "Endpoint changes per second (default ${DEFAULT-VALUE}).")
    double churnRate;

    @Option(names = "--duration", defaultValue = "PT60S",
            description = "How long endpoints churn, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--config-changes", defaultValue = "5",
            description = "VirtualService edits that reach every proxy (default ${DEFAULT-VALUE}).")
    int configChanges;

    @Option(names = "--bare-rounds", defaultValue = "5", description = "Bare server pushes (default ${DEFAULT-VALUE}).")
    int bareRounds;

    @Option(names = "--mode", defaultValue = "GRPC", description = "Simulated proxies: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    ProxyMode mode;

    @Option(names = "--xds-protocol", defaultValue = "SOTW",
            description = "The variant of ADS the proxies speak: state of the world (SOTW) or incremental (DELTA, as "
                    + "Envoy with Istio's agent does by default; SIDECAR mode only, as grpc-java speaks SOTW); "
                    + "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    XdsProtocol protocol;

    @Option(names = "--sidecar-scope", defaultValue = "ALL",
            description = "What each proxy may reach: ALL services (Istio's default) or its NAMESPACE's (a Sidecar "
                    + "resource with egress hosts ./* in every namespace); ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    SidecarScope sidecarScope;

    @Option(names = "--client-threads", defaultValue = "2",
            description = "Event loop threads of the simulated proxies (default ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--timeout", defaultValue = "PT120S", description = "Longest wait for any phase (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the churn's choices (default ${DEFAULT-VALUE}).")
    long seed;

    public LoadSettings settings() {
        return new LoadSettings(services, endpoints, namespaces, proxies, servicesPerProxy, replicas, connections,
                churnRate, duration, configChanges, bareRounds, mode, sidecarScope, clientThreads, timeout, seed, protocol);
    }
}
