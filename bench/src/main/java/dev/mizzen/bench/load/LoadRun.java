package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ChangeTracker;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.bench.mesh.MeshWriter;
import dev.mizzen.bench.proxy.ClientTransport;
import dev.mizzen.bench.proxy.ProxyFleet;
import dev.mizzen.bench.proxy.ResourceIndex;
import dev.mizzen.bench.proxy.XdsProtocol;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.pilot.xds.XdsLimits;
import dev.mizzen.istiod.local.LocalApiServer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One load run, phase after phase, all in this process: the mesh is written to an embedded API server,
 * istiod starts on it (as {@code istiod --local} does), the proxies connect at once (connect storm),
 * endpoints churn, the shared VirtualService is edited (full pushes, responses captured), the proxies
 * disconnect and connect again at once (a storm on a warm JVM, its code paths already compiled), and a
 * bare gRPC server replays the captured bytes to as many streams.
 *
 * <p>Heap method: heap after full GCs before the proxies connect and with all of them converged; the
 * difference per proxy is istiod's per-proxy state plus the load tool's own clients (an upper bound on
 * istiod's). The bare phase measures the same difference for the tool's clients against a server that
 * keeps nothing per stream but gRPC's own; subtracting it leaves istiod's state above a bare gRPC server.
 * Delta proxies also keep every resource they hold, which bare clients do not: that heap is measured on
 * its own (see {@link #holdings}) and subtracted too.
 */
public final class LoadRun {
    /** istiod counts as started once it pushed nothing for this long (see {@link PushQuiet}). */
    private static final Duration SETTLED = Duration.ofSeconds(2);
    /** New streams per second: as many as come (see where istiod is started). */
    private static final double UNPACED = 1e9;

    private final LoadSettings settings;
    private final PrintStream log;

    public LoadRun(LoadSettings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Runs every phase on the calling thread, renamed for the run so that its CPU time (the churn loop, the
     * proxies' subscription scans) counts as the load tool's.
     */
    public LoadReport run() throws Exception {
        Thread thread = Thread.currentThread();
        String name = thread.getName();
        thread.setName(ClientTransport.THREAD_PREFIX + "main");
        try {
            return runPhases();
        } finally {
            thread.setName(name);
        }
    }

    private LoadReport runPhases() throws Exception {
        double loadAtStart = ProcessProbe.loadAverage();
        MeshShape shape = settings.shape();
        try (LocalApiServer api = LocalApiServer.start()) {
            MeshWriter writer = new MeshWriter(api.client(), shape);
            long t = System.nanoTime();
            int objects = writer.createAll() + writer.createScope(settings.sidecarScope());
            double writeSeconds = seconds(System.nanoTime() - t);
            say("wrote %,d objects to the embedded API server in %.1f s%n", objects, writeSeconds);

            // the connect storm is what is measured: istiod's pacing of new streams (which makes real proxies back off
            // and retry elsewhere) would measure the pacing instead
            IstiodSettings istiodSettings = IstiodSettings.defaults().withEphemeralPorts()
                    .withXdsLimits(XdsLimits.DEFAULTS.withNewStreamsPerSecond(UNPACED));
            t = System.nanoTime();
            try (IstiodServer istiod = IstiodServer.start(istiodSettings, api.client())) {
                new PushQuiet(istiod).await(SETTLED, settings.timeout());
                double startSeconds = seconds(System.nanoTime() - t) - seconds(SETTLED.toNanos());
                say("istiod started and settled in %.1f s%n", startSeconds);
                var facts = new ReportFigures.Facts(istiodSettings.debounce().quiet(), objects, writeSeconds,
                        startSeconds, loadAtStart, 0);
                return measure(shape, writer, istiod, facts);
            }
        }
    }

    private LoadReport measure(MeshShape shape, MeshWriter writer, IstiodServer istiod, ReportFigures.Facts facts)
            throws Exception {
        long heapIdle = ProcessProbe.heapAfterGc();
        long rssIdle = ProcessProbe.rssBytes();
        ChangeTracker tracker = new ChangeTracker();
        ConnectStorm.Result storm;
        long heapConnected;
        long rssConnected;
        EndpointChurn.Result churn;
        ConfigChange.Result config;
        ProxyFleet fleet;
        long heapHoldings;
        try (ClientTransport transport = transport(istiod)) {
            fleet = ProxyFleet.create(shape, settings.mode(), settings.protocol(), settings.proxies(), transport, tracker);
            say("connect storm: %,d proxies over %,d connections%n", settings.proxies(), transport.connections());
            storm = storm(fleet, istiod);
            heapConnected = ProcessProbe.heapAfterGc();
            rssConnected = ProcessProbe.rssBytes();

            say("endpoint churn: %.1f changes/s for %s%n", settings.churnPerSecond(), settings.churnDuration());
            churn = EndpointChurn.run(shape, writer, fleet, tracker, settings.churnPerSecond(),
                    settings.churnDuration(), settings.seed(), settings.timeout(), ServerSide.inProcess(istiod));
            say("  %d changes, %d reached every affected proxy, p99 %.0f ms%n", churn.changes(),
                    churn.measured(), millis(churn.latency().p99()));

            say("config change: %d edits of the VirtualService every proxy uses%n", settings.configChanges());
            config = ConfigChange.run(shape, settings.mode(), writer, fleet, tracker, Optional.of(new PushClock(istiod)),
                    ServerSide.inProcess(istiod), settings.configChanges(), settings.timeout());
            say("  all ACKed after %s%n", config.nanos().stream().map(n -> String.format("%.2f s", seconds(n))).toList());
            heapHoldings = holdings(fleet);
            fleet.disconnectAll();
        }
        awaitDisconnected(istiod);

        ConnectStorm.Result warmStorm;
        ProxyFleet warmFleet;
        try (ClientTransport transport = transport(istiod)) {
            warmFleet = ProxyFleet.create(shape, settings.mode(), settings.protocol(), settings.proxies(), transport, tracker);
            say("reconnect storm: the same proxies again, istiod warm%n");
            warmStorm = storm(warmFleet, istiod);
            warmFleet.disconnectAll();
        }
        awaitDisconnected(istiod);

        say("bare gRPC server: %,d messages, %,d bytes to %,d streams%n", config.capturedMessages(),
                config.capturedBytes(), settings.proxies());
        ResourceIndex index = new ResourceIndex(settings.mode().reader());
        BarePush.Result bare = BarePush.run(config.captured(), settings, index);
        say("  rounds took %s%n", bare.nanos().stream().map(n -> String.format("%.3f s", seconds(n))).toList());

        boolean converged = storm.converged() == settings.proxies() && warmStorm.converged() == settings.proxies()
                && churn.incomplete() == 0 && config.nanos().stream().allMatch(n -> n >= 0);
        int nacks = fleet.nacks() + warmFleet.nacks() + storm.serverNacks() + warmStorm.serverNacks();
        List<String> problems = new ArrayList<>(fleet.problems());
        problems.addAll(warmFleet.problems());
        Footprint footprint = new Footprint(heapIdle, rssIdle, heapConnected, rssConnected, bare.heapBefore(),
                bare.heapStreams(), bare.rssStreams(), heapHoldings);
        var finalFacts = new ReportFigures.Facts(facts.debounce(), facts.objects(), facts.writeSeconds(),
                facts.startSeconds(), facts.loadAtStart(), ProcessProbe.loadAverage());
        List<Figure> figures = new ReportFigures(settings, finalFacts)
                .build(new Phases(storm, warmStorm, footprint, churn, config, bare));
        return new LoadReport(figures, converged, nacks, fleet.streamErrors() + warmFleet.streamErrors(), problems);
    }

    private ClientTransport transport(IstiodServer istiod) {
        return new ClientTransport("127.0.0.1", istiod.xdsPort(), settings.connections(), settings.clientThreads());
    }

    private ConnectStorm.Result storm(ProxyFleet fleet, IstiodServer istiod) throws InterruptedException {
        ConnectStorm.Result storm = ConnectStorm.run(fleet, ServerSide.inProcess(istiod), settings.timeout());
        say("  %,d converged in %.2f s; istiod: %,d connections, %,d in sync%n", storm.converged(),
                seconds(storm.nanos()), storm.serverConnections(), storm.serverInSync());
        return storm;
    }

    /** What the phases measured. */
    record Phases(ConnectStorm.Result storm, ConnectStorm.Result warmStorm, Footprint footprint,
                  EndpointChurn.Result churn, ConfigChange.Result config, BarePush.Result bare) {
    }

    /**
     * Heap and RSS snapshots, in bytes (see the class comment for the method).
     *
     * @param heapHoldings what the simulated proxies keep per resource (delta proxies only; 0 otherwise)
     */
    record Footprint(long heapIdle, long rssIdle, long heapConnected, long rssConnected, long heapBareIdle,
                     long heapBareStreams, long rssBareStreams, long heapHoldings) {
    }

    /**
     * The heap delta proxies keep per resource they hold (a map entry each): the bare server's clients keep
     * nothing like it, so it is measured (heap after GC before and after the proxies drop it, with nothing else
     * going on) and taken out of the server's per-proxy heap. State-of-the-world proxies share their name sets.
     */
    private long holdings(ProxyFleet fleet) throws InterruptedException {
        if (settings.protocol() != XdsProtocol.DELTA) {
            return 0;
        }
        long before = ProcessProbe.heapAfterGc();
        fleet.dropHoldings();
        long held = Math.max(0, before - ProcessProbe.heapAfterGc());
        say("  delta proxies' holdings: %.1f MiB%n", held / (1024.0 * 1024));
        return held;
    }

    private void awaitDisconnected(IstiodServer istiod) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (!istiod.ads().status().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(Duration.ofSeconds(1).toMillis());
        }
    }

    /** A progress line on the log, with the wall-clock time (to line phases up with profiles). */
    private void say(String format, Object... args) {
        log.print(java.time.LocalTime.now().withNano(0) + " " + String.format(java.util.Locale.ROOT, format, args));
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }
}
