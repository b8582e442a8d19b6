package dev.mizzen.bench.compare;

import dev.mizzen.bench.load.ExternalRun;
import dev.mizzen.bench.load.ExternalTarget;
import dev.mizzen.bench.load.LoadCommand;
import dev.mizzen.bench.load.LoadOptions;
import dev.mizzen.bench.load.LoadReport;
import dev.mizzen.bench.load.LoadSettings;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.measure.ServerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench compare}: the same mesh, proxies and changes against Mizzen's istiod and then Istio's, each in its
 * own process on a fresh real API server (the real-cluster fixture's mizzen-kube), the load tool in this one;
 * prints one table with the ratio per figure.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run the same load against Mizzen's istiod and Istio's istiod (each its own process, each on a "
                + "fresh mizzen-kube) and print the figures side by side with their ratio.")
public final class CompareCommand implements Callable<Integer> {
    private static final Duration LISTEN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    @Mixin
    LoadOptions options = new LoadOptions();

    @Option(names = "--go-bin", required = true, paramLabel = "DIR",
            description = "Where it/build-go.sh put mizzen-kube and pilot-discovery (it/target/go-bin).")
    Path goBin;

    @Option(names = "--crds", required = true, paramLabel = "FILE",
            description = "Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml of the istio.io/istio module).")
    Path crds;

    @Option(names = "--istio-version", defaultValue = "unknown", description = "What the table says istiod is.")
    String istioVersion;

    @Option(names = "--mizzen-heap", defaultValue = "2g", description = "Mizzen's -Xmx (default ${DEFAULT-VALUE}).")
    String mizzenHeap;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Kubeconfigs and logs (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", paramLabel = "PREFIX",
            description = "Also write each run's JSON to PREFIX-mizzen.json and PREFIX-istiod.json.")
    Path json;

    @Override
    public Integer call() throws Exception {
        LoadCommand.quietPerProxyLogs();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("bench-compare-");
        Comparison comparison = run(options.settings(), goBin, crds, mizzenHeap, dir, System.err);
        System.out.println(comparison.header(istioVersion));
        System.out.println(comparison.table());
        if (json != null) {
            for (Map.Entry<XdsServer, LoadReport> e : comparison.reports().entrySet()) {
                Files.writeString(Path.of(json + "-" + e.getKey().name().toLowerCase(Locale.ROOT) + ".json"),
                        e.getValue().json());
            }
        }
        comparison.reports().forEach((server, report) ->
                report.problems().forEach(p -> System.err.println(server.label() + ": problem: " + p)));
        return comparison.clean() ? 0 : 1;
    }

    /** Both runs' reports. */
    public record Comparison(Map<XdsServer, LoadReport> reports, LoadSettings settings) {
        public String table() {
            return ComparisonTable.render(reports.get(XdsServer.MIZZEN), reports.get(XdsServer.ISTIOD));
        }

        String header(String istioVersion) {
            return String.format(Locale.ROOT, "Mizzen istiod vs Istio istiod %s; %d cores, load tool in its own JVM "
                    + "(Java %s); each server in its own process on a fresh mizzen-kube", istioVersion,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        }

        /** Every proxy converged and every change arrived on both servers, with no NACK and no stream failure. */
        public boolean clean() {
            return reports.values().stream().allMatch(r -> r.converged() && r.nacks() == 0 && r.streamErrors() == 0);
        }
    }

    /** Runs Mizzen's istiod, then Istio's, each on a fresh cluster in a subdirectory of {@code dir}. */
    public static Comparison run(LoadSettings settings, Path goBin, Path crds, String mizzenHeap, Path dir,
                                 PrintStream log) throws Exception {
        Map<XdsServer, LoadReport> reports = new EnumMap<>(XdsServer.class);
        for (XdsServer server : XdsServer.values()) {
            reports.put(server, runOne(server, settings, goBin, crds, mizzenHeap,
                    dir.resolve(server.name().toLowerCase(Locale.ROOT)), log));
        }
        return new Comparison(reports, settings);
    }

    private static LoadReport runOne(XdsServer server, LoadSettings settings, Path goBin, Path crds, String mizzenHeap,
                                     Path dir, PrintStream log) throws Exception {
        log.printf("%s %s: starting mizzen-kube (load average %.2f)%n", LocalTime.now().withNano(0), server.label(),
                ProcessProbe.loadAverage());
        try (KubeProcess kube = KubeProcess.start(goBin.toAbsolutePath(), dir)) {
            int crdCount = ClusterPrep.apply(kube.client(), crds, XdsServer.ISTIOD_NAMESPACE);
            int xdsPort = XdsServer.freePort();
            int monitoringPort = XdsServer.freePort();
            var launch = new XdsServer.Launch(goBin.toAbsolutePath(), kube.kubeconfig(), dir, xdsPort, monitoringPort,
                    mizzenHeap);
            Path serverLog = dir.resolve("server.log");
            Process process = server.command(launch).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
            try {
                log.printf("%s %s: %d CRDs applied; pid %d, xDS on %d, log %s%n", LocalTime.now().withNano(0),
                        server.label(), crdCount, process.pid(), xdsPort, serverLog);
                awaitListening(process, xdsPort, serverLog);
                var target = new ExternalTarget(server.label(), XdsServer.LOOPBACK, xdsPort, kube.client(),
                        new ServerProcess(process.pid(), server.runtime(),
                                URI.create("http://" + XdsServer.LOOPBACK + ":" + monitoringPort)));
                return new ExternalRun(settings, target, log).run();
            } finally {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static void awaitListening(Process process, int port, Path serverLog) throws InterruptedException {
        long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited (" + process.exitValue() + "); its log: " + serverLog);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(XdsServer.LOOPBACK, port), 1_000);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the server did not listen on " + port + " in " + LISTEN_TIMEOUT + "; log: " + serverLog);
    }
}
