package dev.mizzen.pilot.inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kubernetes' canonical quantity form, as the apiserver (and Istio's golden files) write it. */
class QuantityTest {
    @ParameterizedTest
    @CsvSource({
            "2000m, 2", "4000m, 4", "100m, 100m", "1500m, 1500m", "0.5, 500m", "1.5, 1500m", "1000, 1k",
            "1500, 1500", "10000, 10k", "1024Mi, 1Gi", "128Mi, 128Mi", "1536Mi, 1536Mi", "1Ki, 1Ki", "0.5Ki, 512",
            "2048, 2048", "1e3, 1e3", "1E6, 1e6", "0, 0", "0m, 0", "1G, 1G", "1000M, 1G", "0.1n, 1n", "2, 2",
            "1.0, 1", "+3, 3", "-100m, -100m"})
    void canonicalizes(String in, String canonical) {
        assertThat(Quantity.parse(in).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "1K", "1 Gi", "1..5", "1Gib", "1e", "--1", "1e1234567", "m"})
    void rejects(String in) {
        assertThatThrownBy(() -> Quantity.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must match the regular expression");
    }
}
