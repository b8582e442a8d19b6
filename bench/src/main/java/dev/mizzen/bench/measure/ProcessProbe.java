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
     * CPU time so far, in nanoseconds: the whole process, the load tool's threads and the embedded API
     * server's threads. The rest is the server side (istiod or the bare server, with GC and JIT).
     */
    public record Cpu(long processNanos, long loadToolNanos, long apiServerNanos) {
        public long serverNanos() {
            return processNanos - loadToolNanos - apiServerNanos;
        }

        /** CPU of a server in another process beside this process's own (all of it the load tool's). */
        public static Cpu ofOtherProcess(long serverNanos, long toolNanos) {
            return new Cpu(serverNanos + toolNanos, toolNanos, 0);
        }

        public Cpu minus(Cpu earlier) {
            return new Cpu(processNanos - earlier.processNanos, loadToolNanos - earlier.loadToolNanos,
                    apiServerNanos - earlier.apiServerNanos);
        }
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
        return new Cpu(os.getProcessCpuTime(), tool, apiServer);
    }
}
