package dev.mizzen.galley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A smoke run of the benchmark: it works and finds no errors in Bookinfo. No timing is asserted. */
class BookinfoValidationBenchmarkTest {
    @Test
    void runsAFewRounds() {
        BookinfoValidationBenchmark bench = new BookinfoValidationBenchmark();

        BookinfoValidationBenchmark.Result raw = bench.raw(3);
        BookinfoValidationBenchmark.Result typed = bench.typed(3);
        BookinfoValidationBenchmark.Result full = bench.schemaAndRules(3);

        assertThat(raw.validations()).isEqualTo(3L * bench.documents());
        assertThat(raw.errors()).isZero();
        assertThat(typed.errors()).isZero();
        assertThat(full.errors()).isZero();
        assertThat(raw.toString()).contains("validations/s");
    }
}
