package dev.mizzen.istiod;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.istiod.analysis.StatusSettings;
import dev.mizzen.istiod.leader.ElectionSettings;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.push.Debouncer;
import dev.mizzen.pilot.xds.XdsLimits;

/**
 * How istiod serves: its ports (0 picks a free one) and the address they listen on, the mesh, the push
 * debounce, the CA, and what one xDS client may ask of it.
 *
 * @param bindAddress the address every server listens on: all interfaces in a cluster, loopback in local mode
 * @param namespace   the namespace istiod runs in
 * @param election    how the replicas elect the one that writes to the cluster
 * @param status      whether the leader writes analysis messages into config objects' status (off by default)
 */
public record IstiodSettings(Ports ports, String bindAddress, String namespace, MeshSettings mesh,
                             Debouncer.Settings debounce, CitadelSettings citadel, XdsLimits xdsLimits,
                             ElectionSettings election, java.time.Duration workloadEntryGracePeriod,
                             StatusSettings status) {
    /** Istio's PILOT_WORKLOAD_ENTRY_GRACE_PERIOD: how long an auto-registered VM may stay disconnected. */
    public static final java.time.Duration WORKLOAD_ENTRY_GRACE_PERIOD = java.time.Duration.ofSeconds(10);

    /** Every interface: what a pod in a cluster needs. */
    public static final String ALL_INTERFACES = "0.0.0.0";
    /** This machine only: local mode, the demo and tests. */
    public static final String LOOPBACK = "127.0.0.1";

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
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("the bind address must be set");
        }
        if (workloadEntryGracePeriod == null || workloadEntryGracePeriod.isNegative()) {
            workloadEntryGracePeriod = WORKLOAD_ENTRY_GRACE_PERIOD;
        }
        if (status == null) {
            status = StatusSettings.OFF;
        }
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
        return new IstiodSettings(Ports.ISTIO, ALL_INTERFACES, namespace, MeshSettings.DEFAULT,
                Debouncer.Settings.ISTIO_DEFAULTS, CitadelSettings.defaults(namespace).withServing(
                        CitadelSettings.ServingSettings.forIstiod(namespace, MeshSettings.DEFAULT.domainSuffix())),
                XdsLimits.DEFAULTS, ElectionSettings.defaults(), WORKLOAD_ENTRY_GRACE_PERIOD, StatusSettings.OFF);
    }

    /**
     * The same settings with free ports on loopback: for tests and the demo, which must not collide with a
     * running istiod nor be reachable from elsewhere.
     */
    public IstiodSettings withEphemeralPorts() {
        return new IstiodSettings(Ports.EPHEMERAL, LOOPBACK, namespace, mesh, debounce, citadel, xdsLimits, election,
                workloadEntryGracePeriod, status);
    }

    public IstiodSettings withCitadel(CitadelSettings ca) {
        return new IstiodSettings(ports, bindAddress, namespace, mesh, debounce, ca, xdsLimits, election,
                workloadEntryGracePeriod, status);
    }

    public IstiodSettings withXdsLimits(XdsLimits limits) {
        return new IstiodSettings(ports, bindAddress, namespace, mesh, debounce, citadel, limits, election,
                workloadEntryGracePeriod, status);
    }

    public IstiodSettings withElection(ElectionSettings e) {
        return new IstiodSettings(ports, bindAddress, namespace, mesh, debounce, citadel, xdsLimits, e,
                workloadEntryGracePeriod, status);
    }

    public IstiodSettings withWorkloadEntryGracePeriod(java.time.Duration grace) {
        return new IstiodSettings(ports, bindAddress, namespace, mesh, debounce, citadel, xdsLimits, election, grace,
                status);
    }

    public IstiodSettings withStatus(StatusSettings s) {
        return new IstiodSettings(ports, bindAddress, namespace, mesh, debounce, citadel, xdsLimits, election,
                workloadEntryGracePeriod, s);
    }
}
