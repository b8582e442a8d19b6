package dev.mizzen.citadel;

import dev.mizzen.citadel.pki.KeyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CitadelSettingsTest {
    @Test
    void istioDefaults() {
        CitadelSettings s = CitadelSettings.defaults("istio-system");

        assertThat(s.trustDomain()).isEqualTo("cluster.local");
        assertThat(s.keyType()).isEqualTo(KeyType.RSA_2048);
        assertThat(s.root().validity()).isEqualTo(Duration.ofDays(3650));
        assertThat(s.root().gracePercent()).isEqualTo(20);
        assertThat(s.workloads().defaultValidity()).isEqualTo(Duration.ofHours(24));
        assertThat(s.workloads().maxValidity()).isEqualTo(Duration.ofDays(90));
        assertThat(s.workloads().tokenAudiences()).containsExactly("istio-ca");
        assertThat(s.serving().dnsNames()).contains("istiod.istio-system.svc", "istiod.istio-system.svc.cluster.local");
        assertThat(s.pluginCertsDir()).isEmpty();
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        var d = CitadelSettings.defaults("istio-system");

        assertThatThrownBy(() -> CitadelSettings.defaults("Istio_System")).hasMessageContaining("namespace");
        assertThatThrownBy(() -> new CitadelSettings("istio-system", "cluster/local", d.keyType(), d.root(), d.workloads(),
                d.serving(), Optional.empty())).hasMessageContaining("trust domain");
        assertThatThrownBy(() -> new CitadelSettings.RootSettings(Duration.ofDays(1), 100, Duration.ofHours(1)))
                .hasMessageContaining("root grace");
        assertThatThrownBy(() -> new CitadelSettings.WorkloadSettings(Duration.ofDays(2), Duration.ofDays(1), List.of("istio-ca")))
                .hasMessageContaining("below the default");
        assertThatThrownBy(() -> new CitadelSettings.WorkloadSettings(Duration.ofHours(1), Duration.ofDays(1), List.of()))
                .hasMessageContaining("audiences");
        assertThatThrownBy(() -> new CitadelSettings.ServingSettings(List.of(), Duration.ofHours(1), 80))
                .hasMessageContaining("DNS names");
        assertThatThrownBy(() -> new CitadelSettings.ServingSettings(List.of("istiod"), Duration.ZERO, 80))
                .hasMessageContaining("serving certificate validity");
    }
}
