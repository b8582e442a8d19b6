package dev.mizzen.bench.measure;

import dev.mizzen.bench.proxy.ClientTransport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process costs: heap after a full GC, resident set size, and CPU time split between the load
 * tool (threads named {@value ClientTransport#THREAD_PREFIX}...), the embedded API server (vert.x threads)
 * and everything else, the server side (istiod or the bare server, with GC and JIT threads: it is
 * charged, never flattered).
 *
 * <p>Threading: stateless; call from any thread.
 */
public final class ProcessProbe {
    private static final int GC_ROUNDS = 3;

    private ProcessProbe() {
    }

    /** Heap in use after full collections, in bytes. */
    public static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** VmRSS from /proc/self/status, in bytes; -1 where there is no /proc. */
    public static long rssBytes() {
        return rssBytes(Path.of("/proc/self/status"));
    }

    /** VmRSS from a /proc/PID/status file, in bytes; -1 where it cannot be read. */
    static long rssBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The 1-minute load average from /proc/loadavg (other work on the machine shows here); -1 without /proc. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Thread name prefixes of the embedded API server (vert.x runs fabric8's mock server). */
    private static final java.util.List<String> API_SERVER_PREFIXES = java.util.List.of("vert.x-", "vertx-");

    /**
     * CPU time so far, in nanoseconds: the whole process, the load tool's threads, the embedded API server's
     * threads, and the server's JIT compiler threads (0 for a Go server). The rest of the process is the server side
     * (istiod or the bare server, with GC and JIT); the JIT part is also given alone, as a young JVM spends much of a
     * phase compiling while a long-running istiod would not.
     */
    public record Cpu(long processNanos, long loadToolNanos, long apiServerNanos, long serverJitNanos) {
        public long serverNanos() {
            return processNanos - loadToolNanos - apiServerNanos;
        }

        /** CPU of a server in another process beside this process's own (all of it the load tool's). */
        public static Cpu ofOtherProcess(long serverNanos, long serverJitNanos, long toolNanos) {
            return new Cpu(serverNanos + toolNanos, toolNanos, 0, serverJitNanos);
        }

        public Cpu minus(Cpu earlier) {
            return new Cpu(processNanos - earlier.processNanos, loadToolNanos - earlier.loadToolNanos,
                    apiServerNanos - earlier.apiServerNanos, Math.max(0, serverJitNanos - earlier.serverJitNanos));
        }
    }

    /** Clock ticks per second of /proc's CPU figures: USER_HZ, 100 on every Linux architecture Java runs on. */
    private static final long USER_HZ = 100;
    /** utime and stime: fields 14 and 15 of /proc/PID/stat, counted from the state field (3) after the name. */
    private static final int UTIME_AFTER_NAME = 11;

    /** user + system CPU of a /proc stat file (a process's or one thread's), in nanoseconds. */
    static long statCpuNanos(String stat) {
        // the name (field 2) is in parentheses and may hold spaces: count fields after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[UTIME_AFTER_NAME + 1]);
        return ticks * (1_000_000_000L / USER_HZ);
    }

    /**
     * CPU so far of a JVM's JIT compiler threads (HotSpot names them "C1 CompilerThreadN", "C2 CompilerThreadN"),
     * from {@code /proc/PID/task}; 0 where it cannot be read or there are none (a Go server). A compiler thread
     * the JVM retires takes its CPU with it, so this is a lower bound; on 2 cores HotSpot runs one of each and
     * keeps them.
     */
    public static long jitCpuNanos(Path process) {
        long total = 0;
        try (var tasks = Files.list(process.resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        total += statCpuNanos(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: it no longer counts
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** This process's CPU time so far, in nanoseconds. */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static Cpu cpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        long tool = 0;
        long apiServer = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            boolean isTool = name.startsWith(ClientTransport.THREAD_PREFIX);
            boolean isApiServer = API_SERVER_PREFIXES.stream().anyMatch(name::startsWith);
            if (isTool || isApiServer) {
                long t = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                tool += isTool ? t : 0;
                apiServer += isApiServer ? t : 0;
            }
        }
        // the JIT threads of this JVM compile for the load tool and the server alike: not split here
        return new Cpu(os.getProcessCpuTime(), tool, apiServer, 0);
    }
}
