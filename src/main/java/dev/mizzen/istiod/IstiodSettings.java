package dev.mizzen.istiod;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.push.Debouncer;

/**
 * How istiod serves: its ports (0 picks a free one), the mesh, the push debounce, the CA.
 *
 * @param namespace the namespace istiod runs in
 */
public record IstiodSettings(Ports ports, String namespace, MeshSettings mesh, Debouncer.Settings debounce,
                             CitadelSettings citadel) {
    /**
     * @param xds        plaintext ADS (Istio: 15010)
     * @param secureXds  ADS and the CA over TLS with istiod's certificate (15012)
     * @param webhooks   the admission webhooks over HTTPS (15017)
     * @param monitoring metrics, readiness and debug (15014)
     */
    public record Ports(int xds, int secureXds, int webhooks, int monitoring) {
        public static final Ports ISTIO = new Ports(15010, 15012, 15017, 15014);
        public static final Ports EPHEMERAL = new Ports(0, 0, 0, 0);

        public Ports {
            for (int port : new int[] {xds, secureXds, webhooks, monitoring}) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " is not in 0..65535");
                }
            }
        }
    }

    public IstiodSettings {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("istiod's namespace must be set");
        }
        if (!citadel.trustDomain().equals(mesh.trustDomain())) {
            throw new IllegalArgumentException("the CA's trust domain " + citadel.trustDomain()
                    + " differs from the mesh's " + mesh.trustDomain());
        }
    }

    public static IstiodSettings defaults() {
        String namespace = "istio-system";
        return new IstiodSettings(Ports.ISTIO, namespace, MeshSettings.DEFAULT, Debouncer.Settings.ISTIO_DEFAULTS,
                CitadelSettings.defaults(namespace).withServing(
                        CitadelSettings.ServingSettings.forIstiod(namespace, MeshSettings.DEFAULT.domainSuffix())));
    }

    /** The same settings with free ports: for tests and the demo, which must not collide with a running istiod. */
    public IstiodSettings withEphemeralPorts() {
        return new IstiodSettings(Ports.EPHEMERAL, namespace, mesh, debounce, citadel);
    }
}
