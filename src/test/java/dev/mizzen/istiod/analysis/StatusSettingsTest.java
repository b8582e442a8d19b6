package dev.mizzen.istiod.analysis;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatusSettingsTest {
    @Test
    void offUnlessIstiosStatusOrAnalysisVariableIsTrue() {
        assertThat(StatusSettings.fromEnvironment(Map.of())).isEqualTo(StatusSettings.OFF);
        assertThat(StatusSettings.fromEnvironment(Map.of("PILOT_ENABLE_STATUS", "false"))).isEqualTo(StatusSettings.OFF);
        assertThat(StatusSettings.fromEnvironment(Map.of("PILOT_ENABLE_STATUS", "true")).enabled()).isTrue();
        assertThat(StatusSettings.fromEnvironment(Map.of("PILOT_ENABLE_ANALYSIS", "True")).enabled()).isTrue();
        assertThat(StatusSettings.fromEnvironment(Map.of("PILOT_ENABLE_STATUS", "1")).enabled()).isTrue();
        assertThat(StatusSettings.fromEnvironment(Map.of("PILOT_ENABLE_STATUS", "yes")).enabled()).isFalse();
    }

    @Test
    void theWriteRateIsIstiosStatusQps() {
        assertThat(StatusSettings.fromEnvironment(Map.of()).writesPerSecond()).isEqualTo(100);
        assertThat(StatusSettings.fromEnvironment(Map.of("PILOT_STATUS_QPS", "20")).writesPerSecond()).isEqualTo(20);
        assertThatThrownBy(() -> StatusSettings.fromEnvironment(Map.of("PILOT_STATUS_QPS", "fast")))
                .hasMessageContaining("PILOT_STATUS_QPS");
        assertThatThrownBy(() -> StatusSettings.fromEnvironment(Map.of("PILOT_STATUS_QPS", "0")))
                .hasMessageContaining("per second");
    }
}
