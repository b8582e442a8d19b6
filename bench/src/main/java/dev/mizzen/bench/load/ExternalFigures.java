package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.Percentiles;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.pilot.xds.TypeUrls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The figures of a run against a server in another process ({@link ExternalRun}); their keys are what
 * {@code bench compare} puts side by side. Pure.
 */
final class ExternalFigures {
    private static final double MIB = 1024.0 * 1024;
    private static final double KIB = 1024.0;
    private static final List<String> TYPES = List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER, TypeUrls.ROUTE,
            TypeUrls.ENDPOINT);

    /**
     * What the run knows besides its phases' results.
     *
     * @param caughtUpNanos from the last write of the mesh until the server's CPU went quiet; -1 if it never did
     */
    record Facts(String server, String runtime, int objects, double writeSeconds, long caughtUpNanos,
                 double loadAtStart, double loadAtEnd) {
    }

    /** The server's live heap and RSS in bytes, before the proxies and with all of them converged (-1: unread). */
    record Memory(long heapIdle, long rssIdle, long heapConnected, long rssConnected) {
    }

    private final LoadSettings settings;
    private final Facts facts;

    ExternalFigures(LoadSettings settings, Facts facts) {
        this.settings = settings;
        this.facts = facts;
    }

    List<Figure> build(ConnectStorm.Result storm, ConnectStorm.Result warmStorm, Memory memory, EndpointChurn.Result churn,
                       ConfigChange.Result config, int refused) {
        List<Figure> out = new ArrayList<>();
        int p = settings.proxies();
        out.add(Figure.info("run.server", "server (own process)", facts.server() + " (" + facts.runtime() + ")"));
        out.add(Figure.info("run.shape", "mesh", String.format(Locale.ROOT,
                "%,d services x %,d endpoints, %d namespaces, VS+DR on 1/10%s", settings.services(),
                settings.endpoints(), settings.namespaces(), settings.sidecarScope() == SidecarScope.NAMESPACE
                        ? ", a Sidecar per namespace (egress ./*)" : "")));
        out.add(Figure.info("run.proxies", "proxies", String.format(Locale.ROOT, "%,d %s proxies, %s xDS, over %,d connections", p, settings.mode().name().toLowerCase(Locale.ROOT),
                ReportFigures.protocol(settings), settings.connections())));
        out.add(Figure.info("run.loadAverage", "load average (1 min) at start / end", String.format(Locale.ROOT,
                "%.2f / %.2f", facts.loadAtStart(), facts.loadAtEnd())));
        out.add(Figure.number("setup.objects", "objects written to the API server", facts.objects(), "", 0));
        out.add(Figure.number("setup.writeSeconds", "writing them", facts.writeSeconds(), "s", 1));
        out.add(Figure.number("setup.caughtUpSeconds", "server caught up (CPU quiet) after the writes",
                facts.caughtUpNanos() < 0 ? -1 : LoadRun.seconds(facts.caughtUpNanos()), "s", 1));

        out.add(Figure.number("storm.seconds", "connect storm: all proxies converged",
                storm.nanos() < 0 ? -1 : LoadRun.seconds(storm.nanos()), "s", 2));
        out.add(Figure.number("storm.p50Seconds", "connect storm: half converged", LoadRun.seconds(storm.spread().p50()),
                "s", 2));
        out.add(Figure.number("storm.serverCpuSeconds", "connect storm: CPU, server",
                LoadRun.seconds(storm.cpu().serverNanos()), "s", 2));
        out.add(Figure.number("storm.toolCpuSeconds", "connect storm: CPU, load tool",
                LoadRun.seconds(storm.cpu().loadToolNanos()), "s", 2));
        out.add(Figure.number("storm.converged", "connect storm: proxies converged", storm.converged(), "", 0));
        out.add(Figure.number("storm.bytesPerProxyKiB", "connect storm: bytes accepted per proxy",
                storm.ackedBytes() / (double) p / KIB, "KiB", 1));
        out.add(Figure.info("storm.config", "config of one proxy: clusters / listeners / route configs / endpoint sets",
                TYPES.stream().map(t -> String.format(Locale.ROOT, "%,d", storm.sampleConfig().getOrDefault(t, 0)))
                        .collect(Collectors.joining(" / "))));

        out.add(Figure.number("warmStorm.seconds", "reconnect storm, server warm: all proxies converged",
                warmStorm.nanos() < 0 ? -1 : LoadRun.seconds(warmStorm.nanos()), "s", 2));
        out.add(Figure.number("warmStorm.serverCpuSeconds", "reconnect storm: CPU, server",
                LoadRun.seconds(warmStorm.cpu().serverNanos()), "s", 2));

        out.add(Figure.number("storm.refused", "new streams refused by the server and opened again (both storms)",
                refused, "", 0));

        out.add(Figure.number("server.heapIdleMiB", "server live heap after GC, mesh loaded, no proxies",
                mib(memory.heapIdle()), "MiB", 1));
        out.add(Figure.number("server.heapConnectedMiB", "server live heap after GC, all proxies connected",
                mib(memory.heapConnected()), "MiB", 1));
        out.add(Figure.number("server.heapPerProxyKiB", "server live heap per proxy",
                perProxyKiB(memory.heapIdle(), memory.heapConnected()), "KiB", 1));
        out.add(Figure.number("server.rssIdleMiB", "server RSS, mesh loaded, no proxies", mib(memory.rssIdle()), "MiB", 0));
        out.add(Figure.number("server.rssConnectedMiB", "server RSS, all proxies connected", mib(memory.rssConnected()),
                "MiB", 0));
        out.add(Figure.number("server.rssPerProxyKiB", "server RSS per proxy",
                perProxyKiB(memory.rssIdle(), memory.rssConnected()), "KiB", 1));

        Percentiles latency = churn.latency();
        out.add(Figure.number("churn.changes", String.format(Locale.ROOT, "endpoint churn: changes (%.1f/s)",
                settings.churnPerSecond()), churn.changes(), "", 0));
        out.add(Figure.number("churn.measured", "endpoint churn: changes that reached proxies", churn.measured(), "", 0));
        out.add(Figure.number("churn.affected", "endpoint churn: affected proxies per change (mean)", churn.affected(),
                "", 1));
        out.add(Figure.number("churn.p50Ms", "endpoint change -> all affected ACKed, p50",
                latency.count() == 0 ? -1 : LoadRun.millis(latency.p50()), "ms", 0));
        out.add(Figure.number("churn.p99Ms", "endpoint change -> all affected ACKed, p99",
                latency.count() == 0 ? -1 : LoadRun.millis(latency.p99()), "ms", 0));
        out.add(Figure.number("churn.maxMs", "endpoint change -> all affected ACKed, max",
                latency.count() == 0 ? -1 : LoadRun.millis(latency.max()), "ms", 0));
        out.add(Figure.number("churn.incomplete", "endpoint changes not ACKed by all in time", churn.incomplete(), "", 0));
        out.add(Figure.number("churn.serverCpuMsPerChange", "CPU per endpoint change: server",
                LoadRun.millis(churn.cpu().serverNanos()) / Math.max(1, churn.changes()), "ms", 1));
        out.add(Figure.number("churn.serverJitMsPerChange", "CPU per endpoint change: server's JIT compiler threads",
                LoadRun.millis(churn.cpu().serverJitNanos()) / Math.max(1, churn.changes()), "ms", 1));

        boolean allEdits = config.nanos().stream().allMatch(n -> n >= 0);
        out.add(Figure.number("config.seconds", "VirtualService edit -> all proxies ACKed (median)",
                allEdits ? LoadRun.seconds(Percentiles.median(config.nanos())) : -1, "s", 2));
        out.add(Figure.info("config.runs", "VirtualService edits, each", config.nanos().stream()
                .map(n -> n < 0 ? "timeout" : String.format(Locale.ROOT, "%.3f s", LoadRun.seconds(n)))
                .collect(Collectors.joining(", "))));
        out.add(Figure.number("config.affected", "proxies the edit reaches", config.affected(), "", 0));
        out.add(Figure.number("config.bytesPerProxy", "bytes pushed per proxy by the edit",
                config.capturedBytes() / (double) p, "B", 0));
        out.add(Figure.number("config.serverCpuSeconds", "CPU per full push: server (median)",
                cpuMedian(config.cpu(), ProcessProbe.Cpu::serverNanos), "s", 3));
        out.add(Figure.number("config.serverJitSeconds", "CPU per full push: server's JIT compiler threads (median)",
                cpuMedian(config.cpu(), ProcessProbe.Cpu::serverJitNanos), "s", 3));
        out.add(Figure.number("config.toolCpuSeconds", "CPU per full push: load tool (median)",
                cpuMedian(config.cpu(), ProcessProbe.Cpu::loadToolNanos), "s", 3));
        return out;
    }

    private static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / MIB;
    }

    private double perProxyKiB(long before, long after) {
        return before < 0 || after < 0 ? -1 : (after - before) / (double) settings.proxies() / KIB;
    }

    private static double cpuMedian(List<ProcessProbe.Cpu> cpu, ToLongFunction<ProcessProbe.Cpu> part) {
        return LoadRun.seconds(Percentiles.median(cpu.stream().map(part::applyAsLong).toList()));
    }
}
