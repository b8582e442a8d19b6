package dev.mizzen.pilot.inject;

/**
 * Where the istio-proxy container goes. NATIVE (Istio's default since native sidecars reached Kubernetes): an
 * init container with restartPolicy Always, started before and stopped after the app. CLASSIC: a regular
 * container next to the app (Istio's ENABLE_NATIVE_SIDECARS=false).
 */
public enum SidecarLayout {
    NATIVE, CLASSIC
}
