package dev.mizzen.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
  * Istio's own programs, built from the pinned upstream sources by {@code build-go.sh} into one binary
  * ({@code istio-tools}) with a symlink per program, so each runs exactly as its upstream binary does.
  */
public final class IstioTools {

    private IstioTools() {}

    public static Path pilotAgent() {
        return program("pilot-agent");
    }

    public static Path istioctl() {
        return program("istioctl");
    }

    public static Path pilotDiscovery() {
        return program("pilot-discovery");
    }

    /** What a finished run printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {}

    /**
      * Runs a program to its end with the given arguments and extra environment, killing it after
      * {@code timeout}.
      */
    public static Result run(Path program, Duration timeout, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("istio-tools-", ".out");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException(
                            String.join(" ", command) + " did not finish within " + timeout + ":\n"
                                    + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }

    public static Result run(Path program, String... args) {
        return run(program, Duration.ofMinutes(1), Map.of(), args);
    }

    private static Path program(String name) {
        Path path = KubeCluster.goBinDir().resolve(name);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(
                    path + " is missing: build it with it/build-go.sh (the it module's Maven build runs it)");
        }
        return path;
    }
}
