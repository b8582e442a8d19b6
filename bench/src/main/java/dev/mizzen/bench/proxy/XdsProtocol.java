package dev.mizzen.bench.proxy;

/**
 * The variant of ADS the simulated proxies speak. Envoy with Istio's agent speaks delta (incremental) xDS by
 * default in current Istio releases; grpc-java's xDS client speaks state of the world only.
 */
public enum XdsProtocol {
    /** State of the world: every request names everything subscribed, every LDS/CDS response holds everything. */
    SOTW,
    /** Incremental: requests name what to add and remove, responses carry what changed and what went away. */
    DELTA
}
