package dev.mizzen.bench.load;

import dev.mizzen.bench.bare.BareFleet;
import dev.mizzen.bench.bare.BareServer;
import dev.mizzen.bench.measure.ProcessProbe;
import dev.mizzen.bench.proxy.ClientTransport;
import dev.mizzen.bench.proxy.ResourceIndex;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The limit: a bare grpc-java server writes, to as many streams over as many connections, exactly the
 * bytes each proxy accepted during istiod's last full push; each round counts from the first write to
 * the last client's ACK. With delta proxies the bytes are the delta responses of that push (what changed, not
 * everything), written and ACKed as delta messages: "full push vs bare" compares the server's push with
 * writing the same deltas, so the ratio charges the server for computing what changed. The heap is measured before and after the streams open: that difference is
 * what the load tool's clients plus a bare server's streams cost, without istiod.
 */
final class BarePush {
    private static final Duration POLL = Duration.ofMillis(50);

    private BarePush() {
    }

    /**
     * @param nanos        per round, first write to last ACK; -1 for a round that timed out
     * @param cpu          per round, CPU time spent during it
     * @param heapBefore   heap after GC with the bare server up and no streams
     * @param heapStreams  heap after GC with every stream open
     */
    record Result(List<Long> nanos, List<ProcessProbe.Cpu> cpu, long heapBefore, long heapStreams, long rssStreams) {
    }

    static Result run(List<List<byte[]>> payloads, LoadSettings settings, ResourceIndex index)
            throws IOException, InterruptedException {
        try (BareServer server = BareServer.start(payloads, settings.protocol())) {
            long heapBefore = ProcessProbe.heapAfterGc();
            try (ClientTransport transport = new ClientTransport("127.0.0.1", server.port(), settings.connections(),
                    settings.clientThreads())) {
                BareFleet fleet = new BareFleet(transport, payloads.stream().map(List::size).toList(), index,
                        settings.protocol());
                long deadline = System.nanoTime() + settings.timeout().toNanos();
                while (server.streams() < payloads.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + server.streams() + " of " + payloads.size()
                                + " bare streams opened within " + settings.timeout());
                    }
                    Thread.sleep(POLL.toMillis());
                }
                long heapStreams = ProcessProbe.heapAfterGc();
                long rssStreams = ProcessProbe.rssBytes();
                List<Long> nanos = new ArrayList<>();
                List<ProcessProbe.Cpu> cpu = new ArrayList<>();
                for (int round = 0; round < settings.bareRounds(); round++) {
                    fleet.arm();
                    ProcessProbe.Cpu before = ProcessProbe.cpu();
                    long start = System.nanoTime();
                    server.push();
                    long last = fleet.await(settings.timeout());
                    cpu.add(ProcessProbe.cpu().minus(before));
                    nanos.add(last < 0 ? -1 : last - start);
                }
                fleet.close();
                return new Result(nanos, cpu, heapBefore, heapStreams, rssStreams);
            }
        }
    }
}
