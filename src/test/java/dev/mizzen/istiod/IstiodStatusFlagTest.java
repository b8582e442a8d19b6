package dev.mizzen.istiod;

import dev.mizzen.istiod.analysis.StatusSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --enable-status}: off by default (Istio's environment decides), on or off when given. */
class IstiodStatusFlagTest {
    @Test
    void theFlagTurnsStatusWritesOnOrOffAndWithoutItIstiosEnvironmentDecides() {
        assertThat(parse("--enable-status").status().enabled()).isTrue();
        assertThat(parse("--enable-status=true").status().enabled()).isTrue();
        assertThat(parse("--enable-status=false").status().enabled()).isFalse();
        assertThat(parse().status()).isEqualTo(StatusSettings.fromEnvironment(System.getenv()));
    }

    private static IstiodSettings parse(String... args) {
        Istiod istiod = new Istiod();
        new CommandLine(istiod).parseArgs(args);
        return istiod.settings();
    }
}
