package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the benchmark runnable; measures nothing worth reading (a few iterations). */
class InjectionBenchmarkSmokeTest {
    @Test
    void benchmarkRuns() {
        InjectionBenchmark.Figures figures = InjectionBenchmark.run(1, 1);

        assertThat(figures.enginePerSecond()).isPositive();
        assertThat(figures.admissionPerSecond()).isPositive();
    }
}
