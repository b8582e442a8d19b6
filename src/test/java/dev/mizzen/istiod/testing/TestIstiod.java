package dev.mizzen.istiod.testing;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.istiod.IstiodSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** istiod as tests start it, here and in the demo module's end-to-end tests (through istiod's test jar). */
public final class TestIstiod {
    /** How long a test waits for istiod to converge (a push, an ACK, a client seeing the change). */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestIstiod() {
    }

    /**
     * istiod for tests: free ports on loopback, and a serving certificate that also names {@code localhost}, the
     * name test clients reach the authenticated port by (a cluster's agents use {@code istiod.istio-system.svc}).
     */
    public static IstiodSettings settings() {
        IstiodSettings defaults = IstiodSettings.defaults().withEphemeralPorts();
        List<String> names = new ArrayList<>(defaults.citadel().serving().dnsNames());
        names.add("localhost");
        return defaults.withCitadel(defaults.citadel().withServing(new CitadelSettings.ServingSettings(names,
                defaults.citadel().serving().validity(), defaults.citadel().serving().renewAtPercent())));
    }
}
