package dev.mizzen.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Helm's own command ({@code helm}, built from helm.sh/helm/v3 by {@code build-go.sh}), run with its cache, config
 * and data in a directory of the test's, so the user's Helm setup plays no part.
 */
final class Helm {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /**
     * The Kubernetes version {@code helm template} renders for (without a cluster Helm assumes v1.20, below the
     * charts' kubeVersion): mizzen-kube's.
     */
    static final String KUBE_VERSION = "1.37.2";

    /** What a finished run wrote: stdout (the rendered YAML) apart from stderr (Helm's warnings and errors). */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path home;

    Helm(Path home) {
        this.home = home;
    }

    Result run(String... args) {
        Path helm = KubeCluster.goBinDir().resolve("helm");
        if (!Files.isExecutable(helm)) {
            throw new IllegalStateException(helm + " is missing: build it with it/build-go.sh");
        }
        List<String> command = new ArrayList<>();
        command.add(helm.toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(home, "helm-", ".out");
            Path err = Files.createTempFile(home, "helm-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }

    /** {@code helm template}; fails the test with Helm's message if Helm fails. */
    String template(String release, Path chart, String... more) {
        List<String> args = new ArrayList<>(List.of("template", release, chart.toString(), "--namespace", "istio-system",
                "--kube-version", KUBE_VERSION));
        args.addAll(List.of(more));
        Result result = run(args.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new AssertionError("helm " + String.join(" ", args) + " failed:\n" + result.stderr());
        }
        return result.stdout();
    }
}
