package dev.mizzen.istiod.webhook;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.webhook.ValidationAdmission;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import dev.mizzen.istiod.tls.ServingTls;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput and latency of the webhook server as the apiserver loads it, on loopback: {@code clients}
 * concurrent HTTPS clients, each on its own kept-alive connection, POST the AdmissionReview of a Bookinfo
 * VirtualService ({@code reviews}, 80/20 between two subsets) to {@code /validate}, served by galley's real
 * validation. Each client sends its next request when its answer is in. A plain main, not a timed test; run it
 * from the repository root with
 * <pre>
 * mvn -q -o -pl src -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp src/target/test-classes:src/target/classes:$(cat src/target/cp.txt) \
 *     dev.mizzen.istiod.webhook.WebhookBenchmark [clients] [warm-up requests] [measured requests] [rounds]
 * </pre>
 * Defaults: 200 clients, 60,000 warm-up requests, 3 rounds of 30,000 (figures: BENCHMARKS.md, "Webhook
 * server"). The server, the clients and the JIT share the machine's cores.
 */
public final class WebhookBenchmark {
    private final HttpClient client;
    private final HttpRequest request;

    private WebhookBenchmark(HttpClient client, HttpRequest request) {
        this.client = client;
        this.request = request;
    }

    /**
     * What one round saw; latencies in nanoseconds, sorted. CPU time is split between the JDK HttpClient's
     * threads and the rest (the server's); per request, it says what the server costs even when other work
     * on the machine slows the round down.
     */
    record Round(int requests, int errors, Duration elapsed, long[] latencies, Duration serverCpu, Duration clientCpu) {
        static String header() {
            return String.format("%10s %9s %12s %8s %8s %8s %7s %16s %16s", "requests", "seconds", "requests/s", "p50 ms",
                    "p99 ms", "max ms", "errors", "server CPU µs/req", "client CPU µs/req");
        }

        @Override
        public String toString() {
            return String.format("%,10d %9.1f %,12.0f %8.1f %8.1f %8.1f %7d %16.0f %16.0f", requests, elapsed.toNanos() / 1e9,
                    requests / (elapsed.toNanos() / 1e9), millis(0.50), millis(0.99), millis(1.0), errors,
                    serverCpu.toNanos() / 1e3 / requests, clientCpu.toNanos() / 1e3 / requests);
        }

        private double millis(double quantile) {
            int index = Math.min(latencies.length - 1, (int) Math.ceil(quantile * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1e6;
        }
    }

    /** The one line that differs between server versions: starting it. */
    static AutoCloseable startServer(ServingTls tls, Map<String, AdmissionController> handlers, int[] port) {
        WebhookServer server = WebhookServer.start(InetAddress.getLoopbackAddress(), 0, tls, handlers);
        port[0] = server.port();
        return server;
    }

    /** Sends {@code total} requests over {@code clients} concurrent lanes, each waiting for its answer. */
    Round run(int clients, int total) {
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<Boolean, Long> cpuBefore = cpuByClientOrServer();
        long start = System.nanoTime();
        CompletableFuture<?>[] lanes = new CompletableFuture<?>[clients];
        for (int c = 0; c < clients; c++) {
            lanes[c] = lane(next, total, latencies, errors);
        }
        CompletableFuture.allOf(lanes).orTimeout(10, TimeUnit.MINUTES).join();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<Boolean, Long> cpuAfter = cpuByClientOrServer();
        Arrays.sort(latencies);
        return new Round(total, errors.get(), elapsed, latencies,
                Duration.ofNanos(cpuAfter.get(false) - cpuBefore.get(false)), Duration.ofNanos(cpuAfter.get(true) - cpuBefore.get(true)));
    }

    /** CPU time of the live threads so far: the HttpClient's (true) and all others (false). */
    private static Map<Boolean, Long> cpuByClientOrServer() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Boolean, Long> cpu = new HashMap<>(Map.of(true, 0L, false, 0L));
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                cpu.merge(info.getThreadName().startsWith("HttpClient-"), nanos, Long::sum);
            }
        }
        return cpu;
    }

    private CompletableFuture<Void> lane(AtomicInteger next, int total, long[] latencies, AtomicInteger errors) {
        int i = next.getAndIncrement();
        if (i >= total) {
            return CompletableFuture.completedFuture(null);
        }
        long sent = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    latencies[i] = System.nanoTime() - sent;
                    if (failure != null || response.statusCode() != 200 || !response.body().contains("\"allowed\":true")) {
                        if (errors.getAndIncrement() == 0) {
                            System.err.println("first error: " + (failure != null ? failure : response.statusCode() + " " + response.body()));
                        }
                    }
                    return null;
                })
                .thenCompose(ignored -> lane(next, total, latencies, errors));
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        ServingTls.Credentials credentials = SelfSignedCertificate.generate(
                SelfSignedCertificate.istiodNames("istio-system", "cluster.local"), Clock.systemUTC());
        ServingTls tls = ServingTls.of(credentials.key(), credentials.chain());
        int[] port = new int[1];
        try (AutoCloseable server = startServer(tls, Map.of(WebhookServer.VALIDATE_PATH,
                new ValidationAdmission(new IstioValidator())), port)) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TrustingClient.trusting(credentials.leaf()))
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(new TrustingClient(credentials.leaf(), port[0]).uri("/validate"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(review()))
                    .build();
            WebhookBenchmark bench = new WebhookBenchmark(client, request);
            System.out.printf("Webhook server: %d clients, HTTPS kept alive, POST /validate (Bookinfo VirtualService), "
                            + "%d cores, load average %.2f%n", clients, Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.printf("warm-up: %s%n", bench.run(clients, warmup));
            System.out.println(Round.header());
            for (int r = 0; r < rounds; r++) {
                System.out.println(bench.run(clients, measured));
            }
            System.out.printf("load average at the end %.2f%n", loadAverage());
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static byte[] review() throws IOException {
        try (InputStream in = WebhookBenchmark.class.getClassLoader()
                .getResourceAsStream("validate/review-v1-create-virtualservice.json")) {
            return in.readAllBytes();
        }
    }
}
