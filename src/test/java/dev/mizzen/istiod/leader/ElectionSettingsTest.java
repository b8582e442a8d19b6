package dev.mizzen.istiod.leader;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Election timings fabric8's elector accepts, Istio's lease by default, refused early when they cannot work. */
class ElectionSettingsTest {

    @Test
    void istiosLeaseRenewedWithinHalfOfItAndTriedEverySixth() {
        ElectionSettings settings = ElectionSettings.of("istiod-7d9f", ElectionSettings.ISTIO_LEASE_DURATION);

        assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.renewDeadline()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.retryPeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRenewDeadlineWithinFabric8sJitteredRetryIsRefusedAtStart() {
        // Istio's ttl/4 retry: fabric8 would refuse it only when the election starts
        assertThatThrownBy(() -> new ElectionSettings("istiod", Duration.ofSeconds(30), Duration.ofSeconds(15),
                Duration.ofMillis(7_500))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.2");
        assertThatThrownBy(() -> new ElectionSettings("istiod", Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdentityIsRequiredAndBounded() {
        assertThatThrownBy(() -> ElectionSettings.of(" ", Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElectionSettings.of("x".repeat(254), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ElectionSettings.defaults().identity()).isNotBlank();
    }
}
