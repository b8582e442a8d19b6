package dev.mizzen.bench.load;

import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load tool at smoke size (50 proxyless proxies and 20 services; 20 sidecars and 10 services), so it
 * builds and runs with every build. It asserts only that every proxy converged and nothing was NACKed; the
 * figures are for real runs.
 */
class LoadSmokeTest {
    @Test
    void everyProxyConvergesAndNothingIsNacked() throws Exception {
        assertConvergedWithoutNacks(new LoadSettings(20, 5, 2, 50, 5, 5, 50, 5, Duration.ofSeconds(2), 1, 1,
                ProxyMode.GRPC, SidecarScope.ALL, 2, Duration.ofSeconds(30), 1));
    }

    @Test
    void everySidecarConvergesAndNothingIsNacked() throws Exception {
        assertConvergedWithoutNacks(new LoadSettings(10, 5, 2, 20, 5, 5, 20, 5, Duration.ofSeconds(2), 1, 1,
                ProxyMode.SIDECAR, SidecarScope.ALL, 2, Duration.ofSeconds(30), 1));
    }

    @Test
    void sidecarsScopedToTheirNamespaceConverge() throws Exception {
        assertConvergedWithoutNacks(new LoadSettings(10, 5, 2, 20, 5, 5, 20, 5, Duration.ofSeconds(2), 1, 1,
                ProxyMode.SIDECAR, SidecarScope.NAMESPACE, 2, Duration.ofSeconds(30), 1));
    }

    private static void assertConvergedWithoutNacks(LoadSettings settings) throws Exception {
        LoadCommand.quietPerProxyLogs();

        LoadReport report = new LoadRun(settings, new PrintStream(PrintStream.nullOutputStream())).run();

        assertThat(report.problems()).isEmpty();
        assertThat(report.nacks()).isZero();
        assertThat(report.streamErrors()).isZero();
        assertThat(report.converged()).as(report.table()).isTrue();
    }
}
