package dev.mizzen.pilot.xds;

import java.time.Duration;

/**
 * What one xDS client may make istiod hold or do. Every quantity a client controls has a bound here, so istiod's
 * memory is a function of the mesh and of the proxies connected, never of what a client chooses to ask.
 *
 * @param maxMessageBytes         largest request message (gRPC refuses larger ones with RESOURCE_EXHAUSTED)
 * @param maxStreamsPerConnection concurrent ADS streams on one HTTP/2 connection
 * @param maxNodeIdChars          longest node id (Istio's are about 100 characters)
 * @param maxMetadataBytes        largest node metadata, serialized (the agent sends the pod's labels and
 *                                annotations, which Kubernetes caps at 256 KiB)
 * @param maxNamesPerRequest      resource names one request may name (Envoy names every cluster of the mesh)
 * @param newStreamsPerSecond     how fast new streams are admitted (Istio: PILOT_MAX_REQUESTS_PER_SECOND);
 *                                a stream waits up to {@code maxAdmissionWait} for its turn, then is refused
 * @param maxAdmissionWait        how long a new stream may wait for its turn
 * @param maxQueuedRequests       requests a stream may send while istiod is still checking who it is
 */
public record XdsLimits(int maxMessageBytes, int maxStreamsPerConnection, int maxNodeIdChars, int maxMetadataBytes,
                        int maxNamesPerRequest, double newStreamsPerSecond, Duration maxAdmissionWait,
                        int maxQueuedRequests) {
    public static final XdsLimits DEFAULTS = new XdsLimits(4 * 1024 * 1024, 100, 1024, 1024 * 1024, 100_000,
            1_000, Duration.ofSeconds(1), 16);

    public XdsLimits {
        if (maxMessageBytes <= 0 || maxStreamsPerConnection <= 0 || maxNodeIdChars <= 0 || maxMetadataBytes <= 0
                || maxNamesPerRequest <= 0 || newStreamsPerSecond <= 0 || maxQueuedRequests <= 0
                || maxAdmissionWait.isNegative()) {
            throw new IllegalArgumentException("xDS limits must be positive: " + this);
        }
    }

    public XdsLimits withNewStreamsPerSecond(double perSecond) {
        return new XdsLimits(maxMessageBytes, maxStreamsPerConnection, maxNodeIdChars, maxMetadataBytes,
                maxNamesPerRequest, perSecond, maxAdmissionWait, maxQueuedRequests);
    }
}
