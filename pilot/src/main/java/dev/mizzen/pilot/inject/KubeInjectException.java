package dev.mizzen.pilot.inject;

/** A manifest kube-inject cannot process: invalid YAML, or a workload whose pod cannot be injected. */
public final class KubeInjectException extends RuntimeException {
    public KubeInjectException(String message) {
        super(message);
    }
}
