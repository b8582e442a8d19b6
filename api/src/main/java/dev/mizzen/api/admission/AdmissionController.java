package dev.mizzen.api.admission;

/**
 * An admission webhook's logic, free of HTTP and of the AdmissionReview encoding: galley's validation
 * ({@code /validate}) and pilot's sidecar injection ({@code /inject}) implement it; istiod's webhook server
 * decodes requests, calls it and encodes the answer. Implementations are thread-safe and never throw for
 * bad objects: they deny with a message.
 */
@FunctionalInterface
public interface AdmissionController {
    AdmissionResponse admit(AdmissionRequest request);
}
