package dev.mizzen.istiod.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnalysisPaceTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final AnalysisPace pace = new AnalysisPace(Duration.ofSeconds(10));

    @Test
    void theFirstAnalysisStartsAtOnce() {
        assertThat(pace.delayNanos(123 * SECOND)).isZero();
    }

    @Test
    void pushesWithinTheIntervalWaitForItsEndAndLaterOnesDoNot() {
        pace.started(100 * SECOND);
        assertThat(pace.delayNanos(100 * SECOND)).isEqualTo(10 * SECOND);
        assertThat(pace.delayNanos(104 * SECOND)).isEqualTo(6 * SECOND);
        assertThat(pace.delayNanos(110 * SECOND)).isZero();
        assertThat(pace.delayNanos(250 * SECOND)).isZero();
    }

    @Test
    void nanoTimeMayBeNegative() {
        pace.started(-50 * SECOND);
        assertThat(pace.delayNanos(-45 * SECOND)).isEqualTo(5 * SECOND);
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThatThrownBy(() -> new AnalysisPace(Duration.ofSeconds(-1))).hasMessageContaining("must not be negative");
    }
}
