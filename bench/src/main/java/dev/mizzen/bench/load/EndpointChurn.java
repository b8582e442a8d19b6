package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ChangeTracker;
import dev.mizzen.bench.measure.Marker;
import dev.mizzen.bench.measure.PendingChange;
import dev.mizzen.bench.measure.Percentiles;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.bench.mesh.MeshWriter;
import dev.mizzen.bench.proxy.ProxyFleet;
import dev.mizzen.pilot.xds.TypeUrls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Endpoint churn: at a fixed rate, a service picked at random (seeded) gets one endpoint's address
 * replaced in its EndpointSlice. Each change counts from just before the write to the ACK of the last
 * proxy that subscribes to an affected cluster (the service's default cluster, and the subset cluster of
 * the changed pod's version where a DestinationRule defines subsets).
 */
final class EndpointChurn {
    private EndpointChurn() {
    }

    /**
     * @param changes    changes written
     * @param measured   changes that reached every affected proxy
     * @param incomplete changes that some affected proxy had not ACKed when the phase timed out
     * @param affected   affected proxies per change, on average
     * @param cpu        CPU time over the whole phase, the wait for the last changes included
     * @param written    changes written per second, as achieved: each write waits for the API server, so a
     *                   slow one writes fewer than asked for
     */
    record Result(int changes, int measured, int incomplete, double affected, Percentiles latency,
                  ProcessProbe.Cpu cpu, double written) {
    }

    static Result run(MeshShape shape, MeshWriter writer, ProxyFleet fleet, ChangeTracker tracker,
                      double perSecond, Duration duration, long seed, Duration timeout, ServerSide server)
            throws InterruptedException {
        if (perSecond <= 0 || duration.isZero()) {
            return new Result(0, 0, 0, 0, Percentiles.of(List.of()), new ProcessProbe.Cpu(0, 0, 0, 0), 0);
        }
        Random random = new Random(seed);
        long intervalNanos = (long) (1e9 / perSecond);
        int count = (int) Math.max(1, duration.toNanos() / intervalNanos);
        List<PendingChange> changes = new ArrayList<>(count);
        ProcessProbe.Cpu before = server.cpu();
        long start = System.nanoTime();
        for (int k = 0; k < count; k++) {
            long due = start + k * intervalNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int service = random.nextInt(shape.services());
            MeshWriter.EndpointChange change = writer.planEndpointChange(service);
            Set<String> clusters = new LinkedHashSet<>();
            clusters.add(shape.clusterName(service, ""));
            if (shape.hasRules(service)) {
                clusters.add(shape.clusterName(service, shape.version(change.endpoint())));
            }
            BitSet expected = fleet.subscribers(TypeUrls.ENDPOINT, clusters);
            changes.add(tracker.register(TypeUrls.ENDPOINT, clusters, Marker.of(change.address()), expected));
            writer.apply(change);
        }
        // the first write is due at the start: count intervals, not writes
        double written = count < 2 ? count : (count - 1) / ((System.nanoTime() - start) / 1e9);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> latencies = new ArrayList<>();
        int incomplete = 0;
        long affected = 0;
        int withProxies = 0;
        for (PendingChange change : changes) {
            if (change.affected() == 0) {
                continue;
            }
            withProxies++;
            affected += change.affected();
            if (change.latch().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                latencies.add(change.latencyNanos());
            } else {
                incomplete++;
            }
            tracker.retire(change);
        }
        return new Result(changes.size(), latencies.size(), incomplete,
                withProxies == 0 ? 0 : (double) affected / withProxies, Percentiles.of(latencies),
                server.cpu().minus(before), written);
    }
}
