package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.Percentiles;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.proxy.ProxyFleet;
import dev.mizzen.pilot.xds.ConnectionStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every proxy connects at once; the storm lasts until the last one holds its whole config, ACKed (as the
 * proxies see it). istiod's own view ({@code AdsServer.status()}) is read once afterwards as a check, where
 * the server shares it (in this process); -1 connections and in-sync where it does not.
 */
final class ConnectStorm {
    private static final int STATUS_ATTEMPTS = 5;
    private ConnectStorm() {
    }

    /**
     * @param nanos          from the first stream opened to the last proxy converged; -1 when not all did
     * @param spread         from the first stream opened to each proxy's convergence
     * @param cpu            CPU time the storm took
     * @param serverInSync   proxies istiod counts as in sync (everything sent was ACKed and referenced)
     * @param serverNacks    NACKs istiod counted
     * @param ackedBytes     bytes of the responses the proxies accepted, from the start to the end of the storm
     * @param sampleConfig   resources of each type the first proxy holds at the end, by type URL
     */
    record Result(long nanos, Percentiles spread, ProcessProbe.Cpu cpu, int converged, int serverConnections,
                  int serverInSync, int serverNacks, long ackedBytes, Map<String, Integer> sampleConfig) {
    }

    static Result run(ProxyFleet fleet, ServerSide server, Duration timeout) throws InterruptedException {
        ProcessProbe.Cpu before = server.cpu();
        long bytesBefore = fleet.ackedBytes();
        long start = fleet.connectAll();
        boolean all = fleet.awaitFirstConverged(timeout);
        ProcessProbe.Cpu cpu = server.cpu().minus(before);
        long bytes = fleet.ackedBytes() - bytesBefore;
        long nanos = all ? fleet.lastFirstConvergedNanos() - start : -1;
        if (server.status().isEmpty()) {
            return new Result(nanos, spread(fleet, start), cpu, fleet.firstConverged(), -1, -1, 0, bytes,
                    fleet.heldCounts(0));
        }
        List<ConnectionStatus> status = server.status().get();
        int inSync = (int) status.stream().filter(ConnectionStatus::inSync).count();
        // the last ACKs may still be on their way to istiod: look again a few times
        for (int attempt = 0; attempt < STATUS_ATTEMPTS && inSync < fleet.size(); attempt++) {
            Thread.sleep(1_000);
            status = server.status().get();
            inSync = (int) status.stream().filter(ConnectionStatus::inSync).count();
        }
        int nacks = status.stream().mapToInt(ConnectionStatus::nacks).sum();
        return new Result(nanos, spread(fleet, start), cpu, fleet.firstConverged(), status.size(), inSync, nacks,
                bytes, fleet.heldCounts(0));
    }

    /**
     * When the proxies that converged so far did, from the start: taken after istiod's status was read, so that
     * a storm that outlasts the timeout still shows how long its proxies took (those that converged meanwhile).
     */
    private static Percentiles spread(ProxyFleet fleet, long start) {
        return Percentiles.of(fleet.firstConvergedTimes().stream().map(t -> t - start).toList());
    }
}
