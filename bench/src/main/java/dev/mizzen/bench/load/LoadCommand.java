package dev.mizzen.bench.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code bench load}: istiod in-process on an embedded API server, S services of E endpoints, P simulated
 * proxies, and the figures of how it copes (table on stdout, then JSON; progress on stderr).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Run istiod in-process against simulated proxies and print the figures (table and JSON).")
public final class LoadCommand implements Callable<Integer> {
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

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        quietPerProxyLogs();
        LoadSettings settings = new LoadSettings(services, endpoints, namespaces, proxies, servicesPerProxy, replicas,
                connections, churnRate, duration, configChanges, bareRounds, mode, sidecarScope, clientThreads, timeout, seed);
        LoadReport report = new LoadRun(settings, System.err).run();
        System.out.println(report.table());
        System.out.println(report.json());
        if (json != null) {
            Files.writeString(json, report.json());
        }
        report.problems().forEach(p -> System.err.println("problem: " + p));
        return report.converged() && report.nacks() == 0 && report.streamErrors() == 0 ? 0 : 1;
    }

    /** istiod's xDS server logs each connect and disconnect at INFO: thousands of lines that would cost the figures. */
    public static void quietPerProxyLogs() {
        ((Logger) LoggerFactory.getLogger("dev.mizzen.pilot.xds")).setLevel(Level.WARN);
    }
}
