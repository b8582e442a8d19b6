package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The debouncer's timing on a clock the test moves: quiet after the last request, capped after the first. */
class DebounceWindowTest {
    private static final long MS = 1_000_000;

    @Test
    void aRequestIsDueOnceThingsHaveBeenQuiet() {
        DebounceWindow window = new DebounceWindow(Duration.ofMillis(100), Duration.ofSeconds(10));
        window.add(PushRequest.endpoints("a"), 0);
        window.add(PushRequest.endpoints("b"), 60 * MS);
        assertThat(window.takeIfDue(150 * MS)).as("60 + 100 ms not reached").isEmpty();
        assertThat(window.takeIfDue(160 * MS)).hasValueSatisfying(r -> {
            assertThat(r.hostsUpdated()).containsExactlyInAnyOrder("a", "b");
            assertThat(r.isFull()).isFalse();
        });
        assertThat(window.isEmpty()).isTrue();
    }

    @Test
    void aSteadyStreamIsPushedAtTheMaximumDelay() {
        DebounceWindow window = new DebounceWindow(Duration.ofMillis(100), Duration.ofMillis(300));
        for (long t = 0; t <= 290 * MS; t += 50 * MS) {
            window.add(PushRequest.endpoints("a"), t);
            assertThat(window.takeIfDue(t)).isEmpty();
        }
        assertThat(window.due()).isEqualTo(300 * MS);
        assertThat(window.takeIfDue(300 * MS)).isPresent();
    }

    @Test
    void aBurstMergesIntoOneRequestWithEverything() {
        DebounceWindow window = new DebounceWindow(Duration.ofMillis(100), Duration.ofSeconds(10));
        IntStream.range(0, 10_000).forEach(i -> window.add(PushRequest.endpoints("h" + i), i));
        window.add(PushRequest.config(ConfigKey.of(ConfigKind.VIRTUAL_SERVICE, "default", "reviews")), 10_000);
        PushRequest merged = window.takeIfDue(10_000 + 100 * MS).orElseThrow();
        assertThat(merged.hostsUpdated()).hasSize(10_000);
        assertThat(merged.isFull()).isTrue();
        assertThat(merged.reasons()).containsExactlyInAnyOrder("endpoint", "config");
    }
}
