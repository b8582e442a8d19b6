package dev.mizzen.istiod.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code istiod} run as a user runs it, in its own JVM with its shipped logback.xml: a user's mistake is one line
 * on stderr and exit code 2, never a stack trace; logs are one line per event, as JSON with {@code --log-as-json}.
 */
class UserErrorsCliTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void noKubeconfigAnywhereSaysSoAndSuggestsLocal() throws Exception {
        Run run = istiod(Map.of("HOME", tmp.toString()));
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr()).singleElement().asString()
                .startsWith("istiod: no kubeconfig: none given with --kubeconfig, $KUBECONFIG is not set")
                .endsWith("use --local DIR");
    }

    @Test
    void missingKubeconfigFile() throws Exception {
        Path missing = tmp.resolve("nowhere/kubeconfig");
        Run run = istiod(Map.of(), "--kubeconfig", missing.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr()).singleElement().asString()
                .isEqualTo("istiod: --kubeconfig " + missing + ": no such file; to run without a cluster, use --local DIR");
    }

    @Test
    void unreachableClusterSaysSoAndSuggestsLocal() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(closed));
        Run run = istiod(Map.of(), "--kubeconfig", kubeconfig.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr()).singleElement().asString()
                .startsWith("istiod: no Kubernetes cluster reachable at https://127.0.0.1:" + closed)
                .endsWith("check --kubeconfig, or to run without a cluster, use --local DIR");
    }

    @Test
    void portInUseIsOneLineAndTheLogIsJsonLines() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mesh"));
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = istiod(Map.of(), "--local", dir.toString(), "--log-as-json",
                    "--log_output_level", "default:info,ads:debug",
                    "--xds-port", "0", "--secure-xds-port", "0", "--webhook-port", "0",
                    "--monitoring-port", String.valueOf(busy.getLocalPort()));
            assertThat(run.code()).isEqualTo(2);
            List<String> lines = run.stderr();
            assertThat(lines.get(lines.size() - 1)).isEqualTo("istiod: cannot listen on 127.0.0.1:" + busy.getLocalPort()
                    + ": the address is already in use (another istiod?); stop it or choose other ports "
                    + "(--xds-port, --secure-xds-port, --webhook-port, --monitoring-port)");
            // everything before is log events, one JSON object per line, with Istio's fields
            List<String> log = lines.subList(0, lines.size() - 1);
            assertThat(log).isNotEmpty();
            for (String line : log) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.get("level").asString()).isIn("debug", "info", "warn", "error");
                assertThat(event.get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
                assertThat(event.get("scope").asString()).isNotEmpty();
                assertThat(event.has("msg")).isTrue();
            }
        }
    }

    @Test
    void unknownLogScopeOrLevel() throws Exception {
        Run scope = istiod(Map.of(), "--log_output_level", "ads:debug,nosuch:info");
        assertThat(scope.code()).isEqualTo(2);
        assertThat(scope.stderr()).singleElement().asString().startsWith("istiod: --log_output_level: unknown scope nosuch (scopes: all, ads,");
        Run level = istiod(Map.of(), "--log-level", "loud");
        assertThat(level.code()).isEqualTo(2);
        assertThat(level.stderr()).singleElement().asString()
                .isEqualTo("istiod: --log-level: unknown level loud (levels: debug, info, warn, error, fatal, none)");
    }

    @Test
    void missingLocalDirectory() throws Exception {
        Run run = istiod(Map.of(), "--local", tmp.resolve("absent").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr()).singleElement().asString().isEqualTo("istiod: --local " + tmp.resolve("absent") + ": not a directory");
    }

    record Run(int code, List<String> stderr) {
    }

    /** istiod in a JVM of its own, with the environment of a user with no cluster unless {@code env} says. */
    private Run istiod(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // the shipped configuration, not the tests' logback-test.xml
                "-Dlogback.configurationFile=logback.xml", "-Xmx256m", "-Duser.home=" + tmp,
                "dev.mizzen.istiod.Istiod"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("KUBECONFIG");
        builder.environment().remove("KUBERNETES_SERVICE_HOST");
        builder.environment().remove("MIZZEN_LOG_LEVEL");
        builder.environment().put("HOME", tmp.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("istiod exited").isTrue();
        return new Run(process.exitValue(), new String(err, StandardCharsets.UTF_8).lines().toList());
    }
}
