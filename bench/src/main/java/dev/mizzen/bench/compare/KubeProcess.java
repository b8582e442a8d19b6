package dev.mizzen.bench.compare;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real-cluster fixture's {@code mizzen-kube} (etcd + kube-apiserver + controllers on loopback, see it/README.md),
 * started fresh for one server's run so that neither server inherits the other's writes. Its fake kubelet is
 * off: the pods stay unscheduled and without addresses, so the EndpointSlice controller's slices stay empty and
 * the endpoints are the load tool's own slices only.
 */
final class KubeProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path kubeconfig;
    private final KubernetesClient client;

    private KubeProcess(Process process, Path kubeconfig) throws IOException {
        this.process = process;
        this.kubeconfig = kubeconfig;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    /** Starts mizzen-kube from {@code goBin}, its kubeconfig and log in {@code dir}, and waits for READY. */
    static KubeProcess start(Path goBin, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path kubeconfig = dir.resolve("kubeconfig");
        Process process = new ProcessBuilder(goBin.resolve("mizzen-kube").toString(), "--kubeconfig-out",
                kubeconfig.toString(), "--fake-kubelet=false", "--exit-on-stdin-close")
                .redirectError(dir.resolve("mizzen-kube.log").toFile()).start();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("READY ")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        try {
            if (ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return new KubeProcess(process, kubeconfig);
            }
        } catch (ExecutionException | TimeoutException e) {
            // reported below with the log's place
        }
        stop(process);
        throw new IllegalStateException("mizzen-kube did not get ready; its log: " + dir.resolve("mizzen-kube.log"));
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        stop(process);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
