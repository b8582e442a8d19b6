package dev.mizzen.api.networking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "10s, 10000000000",
            "1.5s, 1500000000",
            "0.5s, 500000000",
            "100ms, 100000000",
            "1m, 60000000000",
            "1h, 3600000000000",
            "2h45m, 9900000000000",
            "1m30s, 90000000000",
            "300us, 300000",
            "300µs, 300000",
            "7ns, 7",
            "1h2m3s4ms5us6ns, 3723004005006",
            "0, 0",
            "0s, 0",
            "+2s, 2000000000",
            "-1.5s, -1500000000",
            ".5s, 500000000",
            "5.s, 5000000000",
            "1.0000000009s, 1000000000",
            "2562047h, 9223369200000000000",
    })
    void parsesGoDurations(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "10", "1.5", "s", "abc", "10x", "10S", "1d", "1h-30m", " 10s", "10s ", "1..5s", ".s",
            "-", "+", "1 s", "1,5s", "99999999999h", "2562048h"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration \"" + text + "\": ");
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parse("10"))
                .hasMessage("invalid duration \"10\": missing unit after 10 (use ns, us, ms, s, m or h)");
        assertThatThrownBy(() -> Durations.parse("10sec"))
                .hasMessage("invalid duration \"10sec\": unknown unit \"sec\" (use ns, us, ms, s, m or h)");
        assertThatThrownBy(() -> Durations.parse("abc"))
                .hasMessage("invalid duration \"abc\": expected a number at position 0");
        assertThatThrownBy(() -> Durations.parse("99999999999h"))
                .hasMessage("invalid duration \"99999999999h\": out of range");
        assertThatThrownBy(() -> Durations.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration: null");
    }
}
