package dev.mizzen.demo;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.local.LocalMode;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.istiod.local.Manifests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * The demo, {@code java -jar demo/target/mizzen-demo.jar [--calls N]}: istiod in local mode with Bookinfo's own
 * {@code bookinfo.yaml} as its only file. The local cluster turns its Deployments into pods with loopback IPs and
 * its Services into VIPs and EndpointSlices; {@link StandInPods} answers for each pod on its IP. A proxyless gRPC
 * client calls the services while Istio's Bookinfo traffic-management samples are applied one after the other;
 * after each, a table of which version answered the client's calls.
 */
@Command(name = "mizzen-demo", mixinStandardHelpOptions = true,
        description = "Run istiod locally with Bookinfo stand-ins and show how Istio's samples steer gRPC calls.")
public final class DemoCommand implements Callable<Integer> {
    /** The samples, in the order of Istio's traffic-management tasks, and what each one does. */
    static final List<String[]> STEPS = List.of(
            new String[] {"destination-rule-all.yaml", "subsets v1, v2, v3 defined; no routes yet, so calls spread"},
            new String[] {"virtual-service-all-v1.yaml", "every service routed to v1"},
            new String[] {"virtual-service-reviews-80-20.yaml", "reviews: 80% v1, 20% v2"},
            new String[] {"virtual-service-reviews-jason-v2-v3.yaml", "reviews: user jason to v2, everyone else v3"},
            new String[] {"virtual-service-reviews-v3.yaml", "reviews: everything to v3"});
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    static final String NAMESPACE = "default";
    static final int SERVICE_PORT = 9080;
    /** Bookinfo's services, in the order of the tables' rows, and how many pods bookinfo.yaml makes. */
    static final List<String> APPS = List.of("productpage", "details", "reviews", "ratings");
    static final int PODS = 6;
    /** Bookinfo's platform manifest, unchanged (see bookinfo/SOURCES.txt). */
    static final String BOOKINFO = "/bookinfo/platform/kube/bookinfo.yaml";

    @Option(names = "--calls", defaultValue = "100", description = "Calls per row of each table (default ${DEFAULT-VALUE}).")
    int calls;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run(System.out, calls);
    }

    static int run(PrintStream out, int calls) throws IOException, InterruptedException {
        long start = System.nanoTime();
        out.println("Mizzen demo: istiod (local mode) serves Bookinfo to a proxyless gRPC client (xds:///<service>:9080).");
        Path dir = Files.createTempDirectory("mizzen-demo");
        try {
            return run(out, calls, dir, start);
        } finally {
            deleteTree(dir);
        }
    }

    private static int run(PrintStream out, int calls, Path dir, long start) throws IOException, InterruptedException {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.write(manifests.resolve("bookinfo.yaml"), resource(BOOKINFO));
        LocalMode.Options options = LocalMode.Options.of(manifests).withStateDir(dir.resolve("state"))
                .withPodRange(PodRanges.free(SERVICE_PORT));
        try (LocalMode local = LocalMode.start(options, IstiodSettings.defaults().withEphemeralPorts(), Optional.empty());
             StandInPods pods = StandInPods.start(local.api().client())) {
            IstiodServer istiod = local.istiod();
            Convergence convergence = new Convergence(istiod);
            out.printf("istiod: xDS on 127.0.0.1:%d; the cluster: Bookinfo's own bookinfo.yaml, its pods on %s:%d%n"
                    + "kubeconfig: %s%n%n", istiod.xdsPort(), options.podRange(), SERVICE_PORT,
                    local.kubeconfig().toAbsolutePath());
            try (ProxylessClient client = ProxylessClient.standard(ProxylessClient.bootstrap(
                    "127.0.0.1:" + istiod.xdsPort(), "sidecar~127.0.0.2~demo-client.default~default.svc.cluster.local",
                    NAMESPACE, Map.of("app", "demo-client")))) {
                List<Row> rows = rows();
                awaitServing(client, rows, pods);
                convergence.awaitInSync(STEP_TIMEOUT);
                ManifestApplier applier = new ManifestApplier(local.api().client());
                int step = 0;
                for (String[] s : STEPS) {
                    step++;
                    List<ConfigKey> keys = apply(applier, s[0]);
                    convergence.awaitPushed(keys, STEP_TIMEOUT);
                    out.printf("step %d/%d  kubectl apply -f %s   (%s)%n", step, STEPS.size(), s[0], s[1]);
                    printTable(out, client, rows, calls);
                    out.println();
                }
            } catch (TimeoutException e) {
                out.println("demo failed: " + e.getMessage());
                return 1;
            }
        }
        out.printf("demo finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** Waits until the six pods listen and every Service answers the client (its endpoints have arrived). */
    private static void awaitServing(ProxylessClient client, List<Row> rows, StandInPods pods)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        for (Row row : rows) {
            while (pods.serving() < PODS || client.tally(row.target(), row.headers(), 1).keySet().stream()
                    .anyMatch(k -> k.startsWith("error:"))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(row.target() + " not served within " + STEP_TIMEOUT);
                }
                Thread.sleep(50); // polling the calls; the condition, not the pause, decides
            }
        }
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            return in.readAllBytes();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A line of the table: a target and the headers its calls carry. */
    record Row(String label, String target, Map<String, String> headers) {
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String app : APPS) {
            String target = app + ":" + SERVICE_PORT;
            rows.add(new Row(target, target, Map.of()));
            if (app.equals("reviews")) {
                rows.add(new Row(target + " end-user: jason", target, Map.of("end-user", "jason")));
            }
        }
        return rows;
    }

    private static List<ConfigKey> apply(ManifestApplier applier, String file) throws IOException {
        String path = "/bookinfo/networking/" + file;
        try (InputStream in = DemoCommand.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            List<ConfigKey> keys = new ArrayList<>();
            for (Manifests.Document doc : Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                ManifestApplier.ObjectRef ref = applier.apply(doc);
                ConfigKind<?> kind = ConfigKind.of(ref.apiVersion(), ref.kind()).orElseThrow();
                keys.add(ConfigKey.of(kind, ref.namespace(), ref.name()));
            }
            return keys;
        } catch (Manifests.ParseException e) {
            throw new UncheckedIOException(new IOException(file + ":" + e.line() + ": " + e.getMessage()));
        }
    }

    private static void printTable(PrintStream out, ProxylessClient client, List<Row> rows, int calls) {
        List<String> versions = List.of("v1", "v2", "v3");
        out.printf("  %-34s %6s %6s %6s %6s %7s%n", "calls from the client to", "calls", "v1", "v2", "v3", "failed");
        for (Row row : rows) {
            Map<String, Integer> tally = client.tally(row.target(), row.headers(), calls);
            int[] byVersion = new int[versions.size()];
            int failed = 0;
            for (var e : tally.entrySet()) {
                int v = versions.indexOf(e.getKey().substring(e.getKey().lastIndexOf(' ') + 1));
                if (e.getKey().startsWith("error:") || v < 0) {
                    failed += e.getValue();
                } else {
                    byVersion[v] += e.getValue();
                }
            }
            out.printf("  %-34s %6d %6s %6s %6s %7s%n", row.label(), calls,
                    cell(byVersion[0]), cell(byVersion[1]), cell(byVersion[2]), cell(failed));
        }
    }

    private static String cell(int n) {
        return n == 0 ? "-" : Integer.toString(n);
    }
}
