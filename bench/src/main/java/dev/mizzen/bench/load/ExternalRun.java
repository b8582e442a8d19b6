package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ChangeTracker;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.bench.mesh.MeshWriter;
import dev.mizzen.bench.proxy.ClientTransport;
import dev.mizzen.bench.proxy.ProxyFleet;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A load run against an xDS server in another process ({@code --xds-address}), the mesh written into the real
 * API server it watches ({@code --kubeconfig}): the same proxies, churn and edits as {@link LoadRun}, with
 * the server measured as a process (CPU from /proc, RSS, live heap after a collection), so any server, Mizzen's
 * or Istio's istiod, is measured the same way. No bare server and no push clock here: those need the server
 * in this process. The proxies connect twice: the first storm meets a server that has served no proxy yet (a
 * JVM's xDS code still interpreted), the second one that has.
 *
 * <p>Heap method: the server's live heap after a collection, once it has taken in the mesh and gone quiet,
 * and again with every proxy converged, each read until it settles ({@link ServerProcess#heapAtRest}); the
 * difference per proxy is what it keeps per proxy.
 */
public final class ExternalRun {
    /** The server counts as caught up once its CPU stayed low for this long. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final LoadSettings settings;
    private final ExternalTarget target;
    private final PrintStream log;

    public ExternalRun(LoadSettings settings, ExternalTarget target, PrintStream log) {
        this.settings = settings;
        this.target = target;
        this.log = log;
    }

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
        ServerSide server = ServerSide.otherProcess(target.server());
        MeshWriter writer = MeshWriter.forCluster(target.client(), shape);
        long t = System.nanoTime();
        int objects = writer.createAll() + writer.createScope(settings.sidecarScope());
        double writeSeconds = LoadRun.seconds(System.nanoTime() - t);
        say("wrote %,d objects to the API server in %.1f s%n", objects, writeSeconds);
        long caughtUp = ServerQuiet.await(target.server(), QUIET, settings.timeout());
        say("%s caught up %s%n", target.name(), caughtUp < 0 ? "never (timeout)"
                : String.format(Locale.ROOT, "%.1f s after the writes", LoadRun.seconds(caughtUp)));

        long heapIdle = target.server().heapAtRest();
        long rssIdle = target.server().rssBytes();
        ChangeTracker tracker = new ChangeTracker();
        ProxyFleet fleet;
        ConnectStorm.Result storm;
        long heapConnected;
        long rssConnected;
        EndpointChurn.Result churn;
        ConfigChange.Result config;
        try (ClientTransport transport = new ClientTransport(target.xdsHost(), target.xdsPort(),
                settings.connections(), settings.clientThreads())) {
            fleet = ProxyFleet.create(shape, settings.mode(), settings.protocol(), settings.proxies(), transport, tracker);
            say("connect storm: %,d proxies over %,d connections to %s%n", settings.proxies(), transport.connections(),
                    target.name());
            storm = ConnectStorm.run(fleet, server, settings.timeout());
            say("  %,d converged in %.2f s%n", storm.converged(), LoadRun.seconds(storm.nanos()));
            ServerQuiet.await(target.server(), QUIET, settings.timeout());
            heapConnected = target.server().heapAtRest();
            rssConnected = target.server().rssBytes();

            say("endpoint churn: %.1f changes/s for %s%n", settings.churnPerSecond(), settings.churnDuration());
            churn = EndpointChurn.run(shape, writer, fleet, tracker, settings.churnPerSecond(),
                    settings.churnDuration(), settings.seed(), settings.timeout(), server);
            say("  %d changes, %d reached every affected proxy, p99 %.0f ms%n", churn.changes(), churn.measured(),
                    LoadRun.millis(churn.latency().p99()));

            say("config change: %d edits of the VirtualService every proxy uses%n", settings.configChanges());
            config = ConfigChange.run(shape, settings.mode(), writer, fleet, tracker, Optional.empty(), server,
                    settings.configChanges(), settings.timeout());
            say("  all ACKed after %s%n", config.nanos().stream()
                    .map(n -> String.format(Locale.ROOT, "%.2f s", LoadRun.seconds(n))).toList());
            fleet.disconnectAll();
        }
        ServerQuiet.await(target.server(), QUIET, settings.timeout());
        ProxyFleet warmFleet;
        ConnectStorm.Result warmStorm;
        try (ClientTransport transport = new ClientTransport(target.xdsHost(), target.xdsPort(),
                settings.connections(), settings.clientThreads())) {
            warmFleet = ProxyFleet.create(shape, settings.mode(), settings.protocol(), settings.proxies(), transport, tracker);
            say("reconnect storm: the same proxies again, %s warm%n", target.name());
            warmStorm = ConnectStorm.run(warmFleet, server, settings.timeout());
            say("  %,d converged in %.2f s%n", warmStorm.converged(), LoadRun.seconds(warmStorm.nanos()));
            warmFleet.disconnectAll();
        }
        boolean converged = storm.converged() == settings.proxies() && warmStorm.converged() == settings.proxies()
                && churn.incomplete() == 0
                && config.nanos().stream().allMatch(n -> n >= 0);
        List<String> problems = new ArrayList<>(fleet.problems());
        problems.addAll(warmFleet.problems());
        var facts = new ExternalFigures.Facts(target.name(), target.server().runtime().name(), objects, writeSeconds,
                caughtUp, loadAtStart, ProcessProbe.loadAverage());
        var memory = new ExternalFigures.Memory(heapIdle, rssIdle, heapConnected, rssConnected);
        List<Figure> figures = new ExternalFigures(settings, facts).build(storm, warmStorm, memory, churn, config,
                fleet.refused() + warmFleet.refused());
        return new LoadReport(figures, converged, fleet.nacks() + warmFleet.nacks(),
                fleet.streamErrors() + warmFleet.streamErrors(), problems);
    }

    private void say(String format, Object... args) {
        log.print(LocalTime.now().withNano(0) + " " + String.format(Locale.ROOT, format, args));
    }
}
