package dev.mizzen.it;

import dev.mizzen.bench.compare.CompareCommand;
import dev.mizzen.bench.compare.ComparisonTable;
import dev.mizzen.bench.load.LoadReport;
import dev.mizzen.bench.load.LoadSettings;
import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small run of {@code bench compare}: the same mesh, proxies and changes against Mizzen's istiod and Istio's
 * pilot-discovery (each its own process on a fresh mizzen-kube). Both must serve every proxy its whole config
 * without a NACK, deliver every endpoint change and VirtualService edit, and the table must carry every figure
 * for both. The figures themselves are not asserted: they are what BENCHMARKS.md records.
 */
class IstiodComparisonSmokeTest {
    private static final String CRDS = "manifests/charts/base/files/crd-all.gen.yaml";

    @Test
    void bothServersConvergeWithoutNacksAndTheTableHasEveryFigure(@TempDir Path dir) throws Exception {
        LoadSettings settings = new LoadSettings(10, 3, 2, 20, 3, 5, 20, 5, Duration.ofSeconds(2), 1, 1,
                ProxyMode.GRPC, SidecarScope.ALL, 1, Duration.ofSeconds(60), 1);

        CompareCommand.Comparison comparison = CompareCommand.run(settings, KubeCluster.goBinDir(), istioCrds(),
                "512m", dir, System.err);

        String table = comparison.table();
        System.out.println(table);
        comparison.reports().forEach((server, report) -> assertClean(server.label(), report));
        assertThat(comparison.clean()).isTrue();
        for (ComparisonTable.Row row : ComparisonTable.ROWS) {
            String line = table.lines().filter(l -> l.startsWith("| " + row.label() + " |")).findFirst().orElseThrow();
            // both measured (a figure not measured prints as -1); the ratio may be n/a where istiod's is 0 at this size
            assertThat(line).as(row.label()).doesNotContain("missing").doesNotContain("| -1");
        }
    }

    private static void assertClean(String server, LoadReport report) {
        assertThat(report.nacks()).as(server + " NACKs: " + report.problems()).isZero();
        assertThat(report.streamErrors()).as(server + " stream errors: " + report.problems()).isZero();
        assertThat(report.converged()).as(server + " converged").isTrue();
    }

    /** Istio's CRDs from the istio.io/istio module the Go build pinned (go.mod of it/istio). */
    private static Path istioCrds() throws Exception {
        Process go = new ProcessBuilder("go", "list", "-m", "-f", "{{.Dir}}", "istio.io/istio")
                .directory(Path.of("istio").toFile()).redirectErrorStream(true).start();
        String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(go.waitFor()).as(out).isZero();
        Path crds = Path.of(out).resolve(CRDS);
        assertThat(crds).exists();
        return crds;
    }
}
