package dev.mizzen.bench.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.google.common.net.HostAndPort;
import dev.mizzen.bench.measure.ServerProcess;
import dev.mizzen.bench.measure.ServerRuntime;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bench load}: istiod in-process on an embedded API server, S services of E endpoints, P simulated
 * proxies, and the figures of how it copes (table on stdout, then JSON; progress on stderr). With
 * {@code --xds-address} the server is another process (Mizzen's or Istio's istiod) watching the real API server
 * of {@code --kubeconfig}, measured from outside ({@link ExternalRun}).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Run istiod in-process against simulated proxies and print the figures (table and JSON).")
public final class LoadCommand implements Callable<Integer> {
    @Mixin
    LoadOptions options = new LoadOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON to FILE.")
    Path json;

    @Option(names = "--xds-address", paramLabel = "HOST:PORT",
            description = "Drive an xDS server in another process (plaintext) instead of an in-process istiod; "
                    + "needs --kubeconfig and --server-pid.")
    String xdsAddress;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "With --xds-address: the API server that server watches; the mesh is written there.")
    Path kubeconfig;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "With --xds-address: the server's process, measured from /proc (CPU, RSS) and its runtime (heap).")
    long serverPid;

    @Option(names = "--server-runtime", defaultValue = "JVM",
            description = "With --xds-address: how to read the server's live heap: JVM (jcmd) or GO (its monitoring "
                    + "port's pprof and metrics) (default ${DEFAULT-VALUE}).")
    ServerRuntime serverRuntime;

    @Option(names = "--server-monitoring", paramLabel = "URL", defaultValue = "http://127.0.0.1:15014",
            description = "With --xds-address and GO: the server's monitoring port (default ${DEFAULT-VALUE}).")
    URI serverMonitoring;

    @Option(names = "--server-name", defaultValue = "xds-server",
            description = "With --xds-address: what the report calls the server (default ${DEFAULT-VALUE}).")
    String serverName;

    @Override
    public Integer call() throws Exception {
        quietPerProxyLogs();
        LoadSettings settings = options.settings();
        LoadReport report;
        if (xdsAddress == null) {
            report = new LoadRun(settings, System.err).run();
        } else {
            if (kubeconfig == null || serverPid <= 0) {
                System.err.println("--xds-address needs --kubeconfig and --server-pid");
                return 2;
            }
            HostAndPort address = HostAndPort.fromString(xdsAddress);
            ServerProcess server = new ServerProcess(serverPid, serverRuntime, serverMonitoring);
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                report = new ExternalRun(settings, new ExternalTarget(serverName, address.getHost(),
                        address.getPort(), client, server), System.err).run();
            }
        }
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
