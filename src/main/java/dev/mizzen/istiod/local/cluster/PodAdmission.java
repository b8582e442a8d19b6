package dev.mizzen.istiod.local.cluster;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The admission a Pod passes before the apiserver stores it: in local mode, the sidecar injector's {@code /inject}
 * logic. Thread-safe.
 */
@FunctionalInterface
public interface PodAdmission {
    /** Admits nothing but the pod itself. */
    PodAdmission NONE = pod -> pod;

    /**
     * @return the pod to create (mutated or not)
     * @throws Denied when the pod may not be created, with why
     */
    Pod admit(Pod pod) throws Denied;

    /** A refused pod. */
    final class Denied extends Exception {
        public Denied(String message) {
            super(message);
        }
    }
}
