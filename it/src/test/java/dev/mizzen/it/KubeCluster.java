package dev.mizzen.it;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
  * A real Kubernetes control plane for one test class: the {@code mizzen-kube} program (etcd,
  * kube-apiserver, kube-controller-manager and a fake kubelet in one process on 127.0.0.1, built from
  * {@code it/kube} by {@code build-go.sh}), started in a fresh temporary directory and stopped on
  * {@link #close()}.
  *
  * <p>Its output (stdout and stderr together) goes to {@code target/it-logs/<name>-<time>.log}; a start
  * that fails names that file. The program also stops by itself when this JVM dies, because it watches its
  * standard input, which only this object holds open.
  */
public final class KubeCluster implements AutoCloseable {

    /** How long the control plane may take to start: a few seconds alone, much longer on a busy machine. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The command of the first start; a restart adds the data directory's port to it. */
    private final List<String> command;
    private final Path logFile;
    private final Path dataDir; // null: the program's own temporary directory, gone when it stops
    private final KubernetesClient client;
    private Running running;

    /** One run of the program: the process, the thread copying its output, and the lines it reported. */
    private record Running(Process process, Thread pump, Map<String, String> reported) {}

    private KubeCluster(List<String> command, Path logFile, Path dataDir, Running running) {
        this.command = command;
        this.logFile = logFile;
        this.dataDir = dataDir;
        this.running = running;
        this.client =
                new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(readKubeconfig())).build();
    }

    /** Starts a cluster with the default flags; {@code name} names its log file. */
    public static KubeCluster start(String name, String... extraArgs) {
        return start(name, false, extraArgs);
    }

    /**
     * Starts a cluster that can be {@linkplain #stop() stopped} and {@linkplain #restart() restarted}: its data
     * (etcd, the CA and the service-account key) stays in a directory of its own, and a restart listens on the
     * same port, so clients and tokens of the first run work with the second.
     */
    public static KubeCluster startRestartable(String name, String... extraArgs) {
        return start(name, true, extraArgs);
    }

    private static KubeCluster start(String name, boolean restartable, String... extraArgs) {
        Path bin = goBinDir().resolve("mizzen-kube");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(
                    bin + " is missing: build it with it/build-go.sh (the it module's Maven build runs it)");
        }
        Path logDir = logDir();
        Path logFile =
                logDir.resolve(
                        name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")) + ".log");
        Path kubeconfig = logFile.resolveSibling(logFile.getFileName().toString().replace(".log", ".kubeconfig"));

        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.add("--kubeconfig-out=" + kubeconfig);
        command.add("--exit-on-stdin-close");
        Path dataDir = null;
        try {
            Files.createDirectories(logDir);
            if (restartable) {
                dataDir = Files.createTempDirectory("mizzen-kube-data-");
                command.add("--data-dir=" + dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.addAll(List.of(extraArgs));
        return new KubeCluster(command, logFile, dataDir, run(command, logFile, name));
    }

    /** Runs the program until it reports READY; its output goes to the end of {@code logFile}. */
    private static Running run(List<String> command, Path logFile, String name) {
        Process process;
        PrintWriter log;
        try {
            log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
            log.println("# " + String.join(" ", command));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command.get(0), e);
        }

        // One thread copies the output to the log and picks out the "KEY value" lines the program reports.
        Map<String, String> reported = new ConcurrentHashMap<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = out.readLine()) != null; ) {
                                    log.println(line);
                                    String[] kv = line.split(" ", 2);
                                    if (kv.length == 2 && kv[0].matches("[A-Z_]+")) {
                                        reported.put(kv[0], kv[1]);
                                        if (kv[0].equals("READY")) {
                                            ready.complete(kv[1]);
                                        }
                                    }
                                }
                            } catch (IOException e) {
                                log.println("# reading the output failed: " + e);
                            } finally {
                                log.close();
                                ready.completeExceptionally(new IllegalStateException("mizzen-kube exited"));
                            }
                        },
                        "mizzen-kube-output-" + name);
        pump.setDaemon(true);
        pump.start();

        try {
            ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Running(process, pump, reported);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            stop(process, pump);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "mizzen-kube did not become ready within " + START_TIMEOUT + "; its log is " + logFile, e);
        }
    }

    /** A client with cluster-admin rights (user mizzen-admin in group system:masters). */
    public KubernetesClient client() {
        return client;
    }

    /** The admin kubeconfig file, with the CA and the client certificate embedded. */
    public Path kubeconfig() {
        return Paths.get(reported("KUBECONFIG"));
    }

    /** The apiserver's URL, https://127.0.0.1:port. */
    public String server() {
        return reported("READY");
    }

    /** The cluster CA (PEM): it signed the apiserver's serving certificate and the client certificates. */
    public Path caFile() {
        return Paths.get(reported("CA"));
    }

    /** The public key (PEM) service-account tokens are verified with. */
    public Path serviceAccountPublicKey() {
        return Paths.get(reported("SA_PUBLIC_KEY"));
    }

    /** The {@code iss} of service-account tokens. */
    public String serviceAccountIssuer() {
        return reported("ISSUER");
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Stops the whole control plane (apiserver, etcd, controllers, fake kubelet) as a crash or an upgrade of
     * the control plane would, keeping its data: only for a cluster started with {@link #startRestartable}.
     */
    public synchronized void stop() {
        requireRestartable();
        if (running != null) {
            stop(running.process(), running.pump());
            running = null;
        }
    }

    /** Starts the stopped control plane again on the same data and port; returns once it is ready. */
    public synchronized void restart() {
        requireRestartable();
        if (running != null) {
            throw new IllegalStateException("the cluster is running");
        }
        String port = URI.create(client.getConfiguration().getMasterUrl()).getPort() + "";
        List<String> again = new ArrayList<>(command);
        again.add("--port=" + port);
        running = run(again, logFile, "restart");
    }

    @Override
    public synchronized void close() {
        client.close();
        if (running != null) {
            stop(running.process(), running.pump());
            running = null;
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    private void requireRestartable() {
        if (dataDir == null) {
            throw new IllegalStateException("only a cluster from startRestartable can be stopped and restarted");
        }
    }

    private synchronized String reported(String key) {
        if (running == null) {
            throw new IllegalStateException("the cluster is stopped");
        }
        return running.reported().get(key);
    }

    /**
     * SIGTERM, then a kill if the program has not stopped in time. Through the process handle: {@link
     * Process#destroy()} would also close the pipes, losing the end of the log and breaking the pipe the
     * stopping program still writes to.
     */
    private static void stop(Process process, Thread pump) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // closing stdin is only a second way of asking it to stop
        }
        process.toHandle().destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            pump.join(STOP_TIMEOUT.toMillis()); // the rest of the output into the log
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String readKubeconfig() {
        try {
            return Files.readString(kubeconfig());
        } catch (IOException e) {
            stop(running.process(), running.pump());
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail a test
        }
    }

    /** Where build-go.sh put the binaries: the system property Surefire sets, else target/go-bin. */
    static Path goBinDir() {
        return Paths.get(System.getProperty("mizzen.go.bin", "target/go-bin")).toAbsolutePath();
    }

    private static Path logDir() {
        return Paths.get(System.getProperty("mizzen.it.logs", "target/it-logs")).toAbsolutePath();
    }
}
