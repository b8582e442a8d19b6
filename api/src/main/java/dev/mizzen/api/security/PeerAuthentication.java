package dev.mizzen.api.security;

import dev.mizzen.api.config.Copies;

import java.util.Map;

/**
 * Istio's {@code PeerAuthentication} ({@code security.istio.io}): the mutual TLS mode inbound traffic of the
 * selected workloads must use, with per-port overrides. {@code portLevelMtls} keys are port numbers written
 * as strings; they are not parsed here so that bad ones reach the validator.
 */
public record PeerAuthentication(WorkloadSelector selector, Mtls mtls, Map<String, Mtls> portLevelMtls) {
    public PeerAuthentication {
        portLevelMtls = Copies.map(portLevelMtls);
    }
}
