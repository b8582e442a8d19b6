package dev.mizzen.pilot.testing.simulation;

/** Why a request did not reach an upstream cluster, and what the client would see. */
public record Failure(Kind kind, String detail) {

    public enum Kind {
        NO_LISTENER("connection refused"),
        NO_FILTER_CHAIN("connection closed"),
        TLS_MISMATCH("TLS handshake fails"),
        NOT_HTTP("connection reset: bytes are not HTTP"),
        NO_ROUTE_CONFIG("listener not ready: route configuration missing"),
        NO_VIRTUAL_HOST("404 NR"),
        NO_ROUTE("404 NR"),
        CLUSTER_NOT_FOUND("503 NC"),
        CONFIG_REJECTED("Envoy rejects this config"),
        UNSUPPORTED("the simulation does not model this");

        private final String clientSees;

        Kind(String clientSees) {
            this.clientSees = clientSees;
        }

        public String clientSees() {
            return clientSees;
        }
    }

    @Override
    public String toString() {
        return kind + " (" + kind.clientSees() + "): " + detail;
    }
}
