package dev.mizzen.istiod.monitoring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prometheus' standard process metrics, under the names every Prometheus client exports and Istio's dashboards
 * query ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes},
 * {@code process_virtual_memory_bytes}, {@code process_open_fds}, {@code process_max_fds}); Micrometer's binders
 * name theirs differently. Memory comes from {@code /proc/self/statm}: absent (not registered) elsewhere.
 */
final class ProcessMetrics {
    private static final Path STATM = Path.of("/proc/self/statm");
    /** Linux's page size on the platforms istiod runs on; statm counts pages. */
    private static final long PAGE = 4096;

    private ProcessMetrics() {
    }

    static void bindTo(MeterRegistry meters) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process_cpu_seconds_total", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("Total user and system CPU time spent in seconds.").register(meters);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Gauge.builder("process_open_fds", unix, u -> u.getOpenFileDescriptorCount())
                    .description("Number of open file descriptors.").register(meters);
            Gauge.builder("process_max_fds", unix, u -> u.getMaxFileDescriptorCount())
                    .description("Maximum number of open file descriptors.").register(meters);
        }
        if (Files.isReadable(STATM)) {
            Gauge.builder("process_virtual_memory_bytes", () -> statm(0))
                    .description("Virtual memory size in bytes.").register(meters);
            Gauge.builder("process_resident_memory_bytes", () -> statm(1))
                    .description("Resident memory size in bytes.").register(meters);
        }
    }

    private static double statm(int field) {
        try {
            String[] parts = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(parts[field]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
