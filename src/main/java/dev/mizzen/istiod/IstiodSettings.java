package dev.mizzen.istiod;

import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.push.Debouncer;

/**
 * How istiod serves: its ports (0 picks a free one), the mesh, the push debounce.
 *
 * @param namespace the namespace istiod runs in
 */
public record IstiodSettings(int xdsPort, int monitoringPort, String namespace, MeshSettings mesh,
                             Debouncer.Settings debounce) {
    public static final int XDS_PORT = 15010;
    public static final int MONITORING_PORT = 15014;

    public IstiodSettings {
        checkPort("xds", xdsPort);
        checkPort("monitoring", monitoringPort);
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("istiod's namespace must be set");
        }
    }

    public static IstiodSettings defaults() {
        return new IstiodSettings(XDS_PORT, MONITORING_PORT, "istio-system", MeshSettings.DEFAULT,
                Debouncer.Settings.ISTIO_DEFAULTS);
    }

    /** The same settings with free ports: for tests and the demo, which must not collide with a running istiod. */
    public IstiodSettings withEphemeralPorts() {
        return new IstiodSettings(0, 0, namespace, mesh, debounce);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " port " + port + " is not in 0..65535");
        }
    }
}
