package dev.mizzen.bench.measure;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessProbeTest {
    @Test
    void cpuOfAStatLineIsUserPlusSystemTicksEvenWhenTheNameHoldsSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (C2 CompilerThre) (x)) S 1 1 1 0 -1 4194368 10 0 0 0 250 50 0 0 20 0 1 0";

        assertThat(ProcessProbe.statCpuNanos(stat)).isEqualTo(300 * 10_000_000L);
    }

    @Test
    void theJitCompilerThreadsOfThisJvmAreFoundAndCostLessThanTheWholeProcess() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        long sum = 0;
        for (int round = 0; round < 2_000; round++) {
            sum += String.valueOf(round * 31L).hashCode() % 7; // enough work for the compilers to have run
        }
        long jit = ProcessProbe.jitCpuNanos(Path.of("/proc/self"));
        long process = ProcessProbe.processCpuNanos();

        assertThat(jit).as("compiler threads' CPU (sum %d)", sum).isPositive().isLessThan(process);
    }

    @Test
    void aProcessWithoutTasksHasNoJitCpu() {
        assertThat(ProcessProbe.jitCpuNanos(Path.of("/nonexistent-process"))).isZero();
    }
}
