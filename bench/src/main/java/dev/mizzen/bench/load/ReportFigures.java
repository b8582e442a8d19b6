package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.Percentiles;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.mesh.SidecarScope;
import dev.mizzen.bench.proxy.ProxyMode;
import dev.mizzen.bench.proxy.XdsProtocol;
import dev.mizzen.pilot.xds.TypeUrls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns the results of a load run into the figures it prints, with the targets. Pure. */
final class ReportFigures {
    private static final double MIB = 1024.0 * 1024;
    private static final double KIB = 1024.0;
    private static final List<String> TYPES = List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER, TypeUrls.ROUTE,
            TypeUrls.ENDPOINT);

    private final LoadSettings settings;
    private final Facts facts;

    /**
     * What the run knows besides its phases' results.
     *
     * @param debounce    istiod's quiet period (for the record)
     * @param loadAtStart the machine's 1-minute load average when the run began (other work shows here)
     */
    record Facts(Duration debounce, int objects, double writeSeconds, double startSeconds, double loadAtStart,
                 double loadAtEnd) {
    }

    ReportFigures(LoadSettings settings, Facts facts) {
        this.settings = settings;
        this.facts = facts;
    }

    List<Figure> build(LoadRun.Phases phases) {
        ConnectStorm.Result storm = phases.storm();
        LoadRun.Footprint fp = phases.footprint();
        EndpointChurn.Result churn = phases.churn();
        ConfigChange.Result config = phases.config();
        BarePush.Result bare = phases.bare();
        List<Figure> out = new ArrayList<>();
        int p = settings.proxies();
        out.add(Figure.info("run.shape", "mesh", String.format(Locale.ROOT,
                "%,d services x %,d endpoints, %d namespaces, VS+DR on 1/10%s", settings.services(), settings.endpoints(),
                settings.namespaces(), settings.sidecarScope() == SidecarScope.NAMESPACE
                        ? ", a Sidecar per namespace (egress ./*)" : "")));
        out.add(Figure.info("run.proxies", "proxies", String.format(Locale.ROOT,
                "%,d %s proxies, %s xDS (%d per workload, %s) over %,d connections", p,
                settings.mode().name().toLowerCase(Locale.ROOT), protocol(settings), settings.replicas(), uses(),
                settings.connections())));
        out.add(Figure.info("run.machine", "machine", String.format(Locale.ROOT, "%d cores, max heap %,d MiB, Java %s",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"))));
        out.add(Figure.info("run.loadAverage", "load average (1 min) at start / end", String.format(Locale.ROOT,
                "%.2f / %.2f", facts.loadAtStart(), facts.loadAtEnd())));
        out.add(Figure.number("setup.objects", "objects written to the API server", facts.objects(), "", 0));
        out.add(Figure.number("setup.writeSeconds", "writing them", facts.writeSeconds(), "s", 1));
        out.add(Figure.number("setup.istiodStartSeconds", "istiod start (until its pushes settle)",
                facts.startSeconds(), "s", 2));

        out.add(Figure.atMost("storm.seconds", "connect storm: all proxies converged", LoadRun.seconds(storm.nanos()),
                "s", 2, 30));
        out.add(Figure.number("storm.p50Seconds", "connect storm: half the proxies converged",
                LoadRun.seconds(storm.spread().p50()), "s", 2));
        out.add(Figure.number("storm.p99Seconds", "connect storm: 99% converged", LoadRun.seconds(storm.spread().p99()),
                "s", 2));
        out.add(Figure.number("storm.istiodCpuSeconds", "connect storm: CPU, istiod side",
                LoadRun.seconds(storm.cpu().serverNanos()), "s", 1));
        out.add(Figure.number("storm.toolCpuSeconds", "connect storm: CPU, load tool",
                LoadRun.seconds(storm.cpu().loadToolNanos()), "s", 1));
        out.add(Figure.number("storm.converged", "connect storm: proxies converged (client side)", storm.converged(), "", 0));
        out.add(Figure.number("storm.istiodInSync", "connect storm: proxies in sync (istiod's status)",
                storm.serverInSync(), "", 0));
        out.add(Figure.number("storm.bytesPerProxyKiB", "connect storm: bytes accepted per proxy",
                storm.ackedBytes() / (double) p / KIB, "KiB", 1));
        out.add(Figure.info("storm.config", "config of one proxy: clusters / listeners / route configs / endpoint sets",
                TYPES.stream().map(t -> String.format(Locale.ROOT, "%,d", storm.sampleConfig().getOrDefault(t, 0)))
                        .collect(Collectors.joining(" / "))));
        ConnectStorm.Result warm = phases.warmStorm();
        out.add(Figure.atMost("warmStorm.seconds", "reconnect storm, warm JVM: all proxies converged",
                LoadRun.seconds(warm.nanos()), "s", 2, 30));
        out.add(Figure.number("warmStorm.p50Seconds", "reconnect storm: half converged",
                LoadRun.seconds(warm.spread().p50()), "s", 2));
        out.add(Figure.number("warmStorm.istiodCpuSeconds", "reconnect storm: CPU, istiod side",
                LoadRun.seconds(warm.cpu().serverNanos()), "s", 1));
        out.add(Figure.number("warmStorm.istiodInSync", "reconnect storm: proxies in sync (istiod's status)",
                warm.serverInSync(), "", 0));

        double perProxyAllIn = (fp.heapConnected() - fp.heapIdle()) / (double) p;
        double perStreamBare = (fp.heapBareStreams() - fp.heapBareIdle()) / (double) p;
        double perProxyHoldings = fp.heapHoldings() / (double) p;
        out.add(Figure.number("heap.idleMiB", "heap after GC, before proxies (istiod + API server + tool)",
                fp.heapIdle() / MIB, "MiB", 1));
        out.add(Figure.atMost("heap.connectedMiB", "heap after GC, all proxies connected (same)",
                fp.heapConnected() / MIB, "MiB", 1, 1024));
        out.add(Figure.atMost("heap.perProxyAllInKiB", "heap per proxy: istiod + tool's client",
                perProxyAllIn / KIB, "KiB", 1, 100));
        out.add(Figure.number("heap.perStreamBareKiB", "heap per stream: tool's client + bare gRPC server",
                perStreamBare / KIB, "KiB", 1));
        if (settings.protocol() == XdsProtocol.DELTA) {
            out.add(Figure.number("heap.perProxyHoldingsKiB", "heap per proxy: what the tool's delta client holds",
                    perProxyHoldings / KIB, "KiB", 1));
        }
        out.add(Figure.number("heap.perProxyIstiodKiB", "heap per proxy: istiod above a bare gRPC server",
                (perProxyAllIn - perStreamBare - perProxyHoldings) / KIB, "KiB", 1));
        out.add(Figure.number("rss.idleMiB", "RSS before proxies", fp.rssIdle() / MIB, "MiB", 0));
        out.add(Figure.number("rss.connectedMiB", "RSS all proxies connected", fp.rssConnected() / MIB, "MiB", 0));
        out.add(Figure.number("rss.perProxyKiB", "RSS per proxy (istiod + tool's client)",
                (fp.rssConnected() - fp.rssIdle()) / (double) p / KIB, "KiB", 1));
        out.add(Figure.number("rss.bareMiB", "RSS bare streams open", fp.rssBareStreams() / MIB, "MiB", 0));

        Percentiles latency = churn.latency();
        out.add(Figure.number("churn.changes", String.format(Locale.ROOT, "endpoint churn: changes (%.1f/s)",
                settings.churnPerSecond()), churn.changes(), "", 0));
        out.add(Figure.number("churn.writtenPerSecond", "endpoint churn: changes written per second (achieved)",
                churn.written(), "/s", 1));
        out.add(Figure.number("churn.measured", "endpoint churn: changes that reached proxies", churn.measured(), "", 0));
        out.add(Figure.number("churn.affected", "endpoint churn: affected proxies per change (mean)", churn.affected(), "", 1));
        out.add(Figure.number("churn.p50Ms", "endpoint change -> all affected ACKed, p50", LoadRun.millis(latency.p50()), "ms", 0));
        out.add(Figure.atMost("churn.p99Ms", "endpoint change -> all affected ACKed, p99",
                latency.count() == 0 ? -1 : LoadRun.millis(latency.p99()), "ms", 0, 1000));
        out.add(Figure.number("churn.maxMs", "endpoint change -> all affected ACKed, max", LoadRun.millis(latency.max()), "ms", 0));
        out.add(Figure.number("churn.incomplete", "endpoint changes not ACKed by all in time", churn.incomplete(), "", 0));
        int changes = Math.max(1, churn.changes());
        out.add(Figure.number("churn.istiodCpuMsPerChange", "CPU per endpoint change: istiod side",
                LoadRun.millis(churn.cpu().serverNanos()) / changes, "ms", 1));
        out.add(Figure.number("churn.apiServerCpuMsPerChange", "CPU per endpoint change: embedded API server",
                LoadRun.millis(churn.cpu().apiServerNanos()) / changes, "ms", 1));

        long configMedian = medianOrFail(config.nanos());
        out.add(Figure.atMost("config.seconds", "VirtualService edit -> all proxies ACKed (median)",
                configMedian < 0 ? -1 : LoadRun.seconds(configMedian), "s", 2, 5));
        out.add(Figure.info("config.runs", "VirtualService edits, each", seconds(config.nanos())));
        out.add(Figure.number("config.affected", "proxies the edit reaches", config.affected(), "", 0));
        out.add(Figure.number("config.bytesPerProxy", "bytes pushed per proxy by the edit",
                config.capturedBytes() / (double) p, "B", 0));
        out.add(Figure.number("config.istiodCpuSeconds", "CPU per full push: istiod side (median)",
                cpuMedian(config.cpu(), true), "s", 2));
        out.add(Figure.number("config.toolCpuSeconds", "CPU per full push: load tool (median)",
                cpuMedian(config.cpu(), false), "s", 2));

        long bareMedian = medianOrFail(bare.nanos());
        out.add(Figure.number("bare.seconds", "bare gRPC server, same bytes: first write -> all ACKed (median)",
                LoadRun.seconds(bareMedian), "s", 3));
        out.add(Figure.info("bare.runs", "bare rounds, each", seconds(bare.nanos())));
        out.add(Figure.number("bare.serverCpuSeconds", "CPU per bare push: server side (median)",
                cpuMedian(bare.cpu(), true), "s", 2));
        long pushMedian = medianOrFail(config.pushNanos());
        out.add(Figure.number("limit.fullPushSeconds", "istiod full push: push start -> all ACKed (median)",
                pushMedian < 0 ? -1 : LoadRun.seconds(pushMedian), "s", 3));
        out.add(Figure.info("limit.fullPushRuns", "istiod full pushes, each", seconds(config.pushNanos())));
        out.add(Figure.atMost("limit.ratio", "full push / bare push", pushMedian < 0 || bareMedian <= 0 ? -1
                : (double) pushMedian / bareMedian, "x", 1, 2));
        return out;
    }

    /** The variant of xDS the proxies speak, as the tables say it. */
    static String protocol(LoadSettings settings) {
        return settings.protocol() == XdsProtocol.DELTA ? "delta" : "SotW";
    }

    /** What each proxy uses: the services it calls, or (sidecars) what its scope lets it see. */
    private String uses() {
        if (settings.mode() == ProxyMode.GRPC) {
            return String.format(Locale.ROOT, "%d services each", settings.servicesPerProxy());
        }
        return settings.sidecarScope() == SidecarScope.NAMESPACE ? "its namespace's services" : "every service";
    }

    private static long medianOrFail(List<Long> nanos) {
        return nanos.stream().anyMatch(n -> n < 0) ? -1 : Percentiles.median(nanos);
    }

    private static double cpuMedian(List<ProcessProbe.Cpu> cpu, boolean server) {
        return LoadRun.seconds(Percentiles.median(cpu.stream()
                .map(c -> server ? c.serverNanos() : c.loadToolNanos()).toList()));
    }

    private static String seconds(List<Long> nanos) {
        return nanos.stream().map(n -> n < 0 ? "timeout" : String.format(Locale.ROOT, "%.3f s", LoadRun.seconds(n)))
                .collect(Collectors.joining(", "));
    }
}
