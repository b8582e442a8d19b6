package dev.mizzen.bench.load;

import dev.mizzen.bench.measure.ServerProcess;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Waits until a server in another process has caught up: its CPU use over a window has fallen below a
 * small share of one core. The process-side counterpart of {@link PushQuiet} (which hears pushes in-process).
 */
final class ServerQuiet {
    private static final Duration POLL = Duration.ofMillis(250);
    /** Below this share of one core over the window, the server counts as idle (runtimes tick a little). */
    private static final double IDLE_SHARE = 0.10;

    private ServerQuiet() {
    }

    /** Returns the nanoseconds it waited until the server was quiet for {@code window}, or -1 after {@code timeout}. */
    static long await(ServerProcess server, Duration window, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Deque<long[]> samples = new ArrayDeque<>(); // {wall nanos, cpu nanos}
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            samples.addLast(new long[] {now, server.cpuNanos()});
            while (samples.size() > 1 && now - samples.peekFirst()[0] > window.toNanos()) {
                samples.removeFirst();
            }
            long[] first = samples.peekFirst();
            long wall = now - first[0];
            if (wall >= window.toNanos() - POLL.toNanos()
                    && samples.peekLast()[1] - first[1] <= IDLE_SHARE * wall) {
                return now - start - wall;
            }
            Thread.sleep(POLL.toMillis());
        }
        return -1;
    }
}
