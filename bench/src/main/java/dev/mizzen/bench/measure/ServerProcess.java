package dev.mizzen.bench.measure;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server running in another process, measured from outside as the kernel sees it: CPU time from
 * {@code /proc/PID/stat} (user + system, all threads, its GC and JIT or Go runtime included), resident set
 * from {@code /proc/PID/status}, and the live heap its runtime reports after a collection.
 *
 * <p>Threading: stateless apart from final fields; call from any thread.
 */
public final class ServerProcess {
    private final long pid;
    private final ServerRuntime runtime;
    private final URI monitoring;

    public ServerProcess(long pid, ServerRuntime runtime, URI monitoring) {
        this.pid = pid;
        this.runtime = runtime;
        this.monitoring = monitoring;
    }

    public long pid() {
        return pid;
    }

    public ServerRuntime runtime() {
        return runtime;
    }

    /** CPU time the process used so far, in nanoseconds. */
    public long cpuNanos() {
        try {
            return ProcessProbe.statCpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + " (has it exited?)", e);
        }
    }

    /** CPU time of its JIT compiler threads so far, in nanoseconds; 0 for a Go server. */
    public long jitCpuNanos() {
        return runtime == ServerRuntime.JVM ? ProcessProbe.jitCpuNanos(Path.of("/proc", Long.toString(pid))) : 0;
    }

    /** Resident set size in bytes; -1 where it cannot be read. */
    public long rssBytes() {
        return ProcessProbe.rssBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    /** Live heap after a full collection, in bytes; -1 where it cannot be read. */
    public long heapAfterGc() throws InterruptedException {
        try {
            return runtime.heapAfterGc(pid, monitoring);
        } catch (IOException e) {
            return -1;
        }
    }

    /** How many readings {@link #heapAtRest} takes at most, and how far apart. */
    private static final int REST_READINGS = 5;
    private static final long REST_PAUSE_MILLIS = 2_000;
    /** Two readings this close (relative) count as the same heap. */
    private static final double REST_TOLERANCE = 0.02;

    /**
     * The live heap once the server has settled: readings after a full collection, a few seconds apart, until two
     * in a row agree within 2 %; the least of them. One reading alone counts whatever work the server still has in
     * flight as live (on a loaded machine a starved server looks quiet to {@code ServerQuiet} while it still
     * digests the mesh); -1 where it cannot be read.
     */
    public long heapAtRest() throws InterruptedException {
        long least = heapAfterGc();
        long previous = least;
        for (int i = 1; i < REST_READINGS && previous >= 0; i++) {
            Thread.sleep(REST_PAUSE_MILLIS);
            long now = heapAfterGc();
            if (now < 0) {
                return least;
            }
            least = Math.min(least, now);
            if (Math.abs(now - previous) <= REST_TOLERANCE * previous) {
                break;
            }
            previous = now;
        }
        return least;
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
