package dev.mizzen.istiod.cli;

import dev.mizzen.istiod.Istiod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code istiod kube-inject}, as in Bookinfo's walkthrough: every workload gets the sidecar, the rest passes through. */
class KubeInjectCommandTest {
    @Test
    void bookinfoDeploymentsGetTheSidecar(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("bookinfo.yaml");
        try (InputStream in = getClass().getResourceAsStream("/istio/bookinfo/platform/kube/bookinfo.yaml")) {
            Files.write(manifest, in.readAllBytes());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Istiod());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("kube-inject", "-f", manifest.toString());

        assertThat(exit).as(err.toString()).isZero();
        String injected = out.toString();
        // six Deployments (productpage, details, reviews v1-v3, ratings), each with istio-init and istio-proxy
        assertThat(injected.split("name: istio-proxy", -1)).hasSize(7);
        assertThat(injected.split("name: istio-init", -1)).hasSize(7);
        assertThat(injected).contains("kind: Service", "kind: ServiceAccount", "sidecar.istio.io/status");
    }

    @Test
    void aFileThatIsNotYamlFailsWithItsReason(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("broken.yaml");
        Files.writeString(manifest, "kind: Deployment\nspec: [oops\n");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Istiod());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("kube-inject", "-f", manifest.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error:");
    }
}
