package dev.mizzen.pilot.xds;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A drain sheds its streams on a linear ramp over the window: a steady trickle of reconnects, never a storm. */
class DrainPaceTest {
    private final DrainPace tenSeconds = new DrainPace(Duration.ofSeconds(10));

    @Test
    void streamsAreClosedEvenlyOverTheWindow() {
        assertThat(tenSeconds.closedBy(Duration.ofSeconds(1), 1_000)).isEqualTo(100);
        assertThat(tenSeconds.closedBy(Duration.ofSeconds(5), 1_000)).isEqualTo(500);
        assertThat(tenSeconds.closedBy(Duration.ofMillis(9_990), 1_000)).isEqualTo(999);
    }

    @Test
    void allAreClosedByTheEndOfTheWindow() {
        assertThat(tenSeconds.closedBy(Duration.ofSeconds(10), 1_000)).isEqualTo(1_000);
        assertThat(tenSeconds.closedBy(Duration.ofMinutes(1), 7)).isEqualTo(7);
    }

    @Test
    void aFewStreamsDoNotWaitForTheirSlotAndNoneMeansNothingToDo() {
        assertThat(tenSeconds.closedBy(Duration.ofMillis(1), 3)).isEqualTo(1);
        assertThat(tenSeconds.closedBy(Duration.ofSeconds(1), 0)).isZero();
        assertThat(tenSeconds.closedBy(Duration.ZERO, 1_000)).isEqualTo(1);
    }

    @Test
    void aZeroWindowClosesEverythingAtOnce() {
        assertThat(new DrainPace(Duration.ZERO).closedBy(Duration.ZERO, 1_000)).isEqualTo(1_000);
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThatThrownBy(() -> new DrainPace(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
