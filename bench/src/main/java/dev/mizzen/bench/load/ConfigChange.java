package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ChangeTracker;
import dev.mizzen.bench.measure.Marker;
import dev.mizzen.bench.measure.PendingChange;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.mesh.MeshObjects;
import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.bench.mesh.MeshWriter;
import dev.mizzen.bench.proxy.ProxyFleet;
import dev.mizzen.bench.proxy.ProxyMode;
import dev.mizzen.pilot.xds.TypeUrls;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A change to every proxy: the VirtualService of service 0, which every workload calls (and every sidecar
 * sees, unless a Sidecar resource narrows its scope), gets a new first route name. Each edit is a full push; it counts from just before the write until every proxy has ACKed
 * the route config holding the new name, with the process's CPU time around it; and, by {@link PushClock},
 * from the start of istiod's push to that last ACK (where istiod runs in this process). The responses the proxies
 * accepted during the last edit are kept for the bare server to replay.
 */
final class ConfigChange {
    private static final int SHARED_SERVICE = 0;
    private static final Duration SETTLE = Duration.ofMillis(500);
    private static final Duration PUSH_END_WAIT = Duration.ofSeconds(30);

    private ConfigChange() {
    }

    /**
     * @param nanos     per edit, until all affected proxies ACKed; -1 for an edit that timed out
     * @param pushNanos per edit, from the start of istiod's push to the last ACK; -1 where not measured
     * @param cpu       per edit, CPU time spent during it
     * @param affected  proxies whose route configs carry the shared service's routes
     * @param captured  by proxy index, the responses it accepted during the last edit
     */
    record Result(List<Long> nanos, List<Long> pushNanos, List<ProcessProbe.Cpu> cpu, int affected,
                  List<List<byte[]>> captured) {
        long capturedBytes() {
            return captured.stream().flatMap(List::stream).mapToLong(b -> b.length).sum();
        }

        int capturedMessages() {
            return captured.stream().mapToInt(List::size).sum();
        }
    }

    static Result run(MeshShape shape, ProxyMode mode, MeshWriter writer, ProxyFleet fleet, ChangeTracker tracker,
                      Optional<PushClock> pushClock, ServerSide server, int edits, Duration timeout)
            throws InterruptedException, IOException {
        List<Long> nanos = new ArrayList<>();
        List<Long> pushNanos = new ArrayList<>();
        List<ProcessProbe.Cpu> cpu = new ArrayList<>();
        List<List<byte[]>> captured = List.of();
        Set<String> routes = mode.routeNames(shape, SHARED_SERVICE);
        int affected = 0;
        for (int revision = 1; revision <= edits; revision++) {
            boolean last = revision == edits;
            BitSet expected = mode.routing(fleet, shape, SHARED_SERVICE);
            affected = expected.cardinality();
            if (last) {
                fleet.startCapture();
            }
            Optional<PushClock.Sample> pushesBefore = pushClock.isPresent() ? Optional.of(pushClock.get().sample())
                    : Optional.empty();
            ProcessProbe.Cpu before = server.cpu();
            PendingChange change = tracker.register(TypeUrls.ROUTE, routes, Marker.of(MeshObjects.routeMarker(revision)),
                    expected);
            writer.editVirtualService(SHARED_SERVICE, revision);
            boolean done = affected > 0 && change.latch().await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            cpu.add(server.cpu().minus(before));
            nanos.add(done ? change.latencyNanos() : -1);
            tracker.retire(change);
            OptionalLong pushStart = OptionalLong.empty();
            if (pushClock.isPresent()) {
                PushClock clock = pushClock.get();
                awaitPushEnd(clock, change.startNanos());
                pushStart = clock.startOfOnlyPush(pushesBefore.orElseThrow(), clock.sample(), change.startNanos());
            }
            pushNanos.add(done && pushStart.isPresent()
                    ? change.startNanos() + change.latencyNanos() - pushStart.getAsLong() : -1);
            if (last) {
                captured = fleet.stopCapture();
            }
            Thread.sleep(SETTLE.toMillis());
        }
        return new Result(nanos, pushNanos, cpu, affected, captured);
    }

    /** The last ACK can come before istiod's push thread reports the push done: wait for that report. */
    private static void awaitPushEnd(PushClock clock, long editNanos) throws InterruptedException {
        long deadline = System.nanoTime() + PUSH_END_WAIT.toNanos();
        while (clock.lastFullPushEndNanos() < editNanos && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
