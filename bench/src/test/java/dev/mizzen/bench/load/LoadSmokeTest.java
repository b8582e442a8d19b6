package dev.mizzen.bench.load;

import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import dev.mizzen.bench.proxy.XdsProtocol;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load tool at smoke size (50 proxyless proxies and 20 services; 20 sidecars and 10 services, over state
 * of the world and delta xDS), so it builds and runs with every build. It asserts that every proxy converged,
 * nothing was NACKed and changes arrived; the figures are for real runs.
 */
class LoadSmokeTest {
    @Test
    void everyProxyConvergesAndNothingIsNacked() throws Exception {
        assertConvergedWithoutNacks(new LoadSettings(20, 5, 2, 50, 5, 5, 50, 5, Duration.ofSeconds(2), 1, 1,
                ProxyMode.GRPC, SidecarScope.ALL, 2, Duration.ofSeconds(30), 1));
    }

    @Test
    void sidecarsScopedToTheirNamespaceConverge() throws Exception {
        assertConvergedWithoutNacks(new LoadSettings(10, 5, 2, 20, 5, 5, 20, 5, Duration.ofSeconds(2), 1, 1,
                ProxyMode.SIDECAR, SidecarScope.NAMESPACE, 2, Duration.ofSeconds(30), 1));
    }

    /**
     * Sidecars over state-of-the-world ADS, then over delta ADS (wildcard CDS and LDS, EDS and RDS by name, ACKs
     * that name nothing), converge against Mizzen; the delta ones end up holding what the state-of-the-world ones
     * hold, and every endpoint change and VirtualService edit reaches every proxy it affects (found by the
     * change's marker in the delta responses' resources).
     */
    @Test
    void sidecarsConvergeOverEitherVariantOfXdsAndEndpointChangesArrive() throws Exception {
        LoadReport sotw = assertConvergedWithoutNacks(sidecars(XdsProtocol.SOTW));
        LoadReport delta = assertConvergedWithoutNacks(sidecars(XdsProtocol.DELTA));

        assertThat((String) figure(delta, "run.proxies")).as(delta.table()).contains("delta xDS");
        assertThat(figure(delta, "storm.config")).as(delta.table()).isEqualTo(figure(sotw, "storm.config"));
        assertThat(((Number) figure(delta, "churn.changes")).intValue()).as(delta.table()).isPositive();
        assertThat(figure(delta, "churn.measured")).as(delta.table()).isEqualTo(figure(delta, "churn.changes"));
        assertThat(((Number) figure(delta, "config.bytesPerProxy")).longValue()).as(delta.table()).isPositive();
    }

    private static LoadSettings sidecars(XdsProtocol protocol) {
        return new LoadSettings(10, 5, 2, 20, 5, 5, 20, 5, Duration.ofSeconds(2), 1, 1, ProxyMode.SIDECAR,
                SidecarScope.ALL, 2, Duration.ofSeconds(30), 1, protocol);
    }

    private static Object figure(LoadReport report, String key) {
        return report.figures().stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().value();
    }

    private static LoadReport assertConvergedWithoutNacks(LoadSettings settings) throws Exception {
        LoadCommand.quietPerProxyLogs();

        LoadReport report = new LoadRun(settings, new PrintStream(PrintStream.nullOutputStream())).run();

        assertThat(report.problems()).isEmpty();
        assertThat(report.nacks()).isZero();
        assertThat(report.streamErrors()).isZero();
        assertThat(report.converged()).as(report.table()).isTrue();
        return report;
    }
}
