package dev.mizzen.pilot.testing.simulation;

/** The client's transport: plaintext, TLS (server-authenticated), or Istio mutual TLS (with a client cert). */
public enum TlsMode {
    PLAINTEXT,
    TLS,
    MTLS
}
