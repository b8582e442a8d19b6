package dev.mizzen.pilot.testing.simulation;

/** What the client speaks inside the (optional) TLS layer. */
public enum Protocol {
    HTTP,
    HTTP2,
    TCP;

    boolean isHttp() {
        return this != TCP;
    }
}
