/**
 * Sidecar injection, as Istio's injector does it: {@link dev.mizzen.pilot.inject.SidecarInjector} (the engine:
 * a pod in, the injected pod out), {@link dev.mizzen.pilot.inject.InjectionAdmission} (the {@code /inject}
 * webhook logic: AdmissionRequest in, JSONPatch out) and {@link dev.mizzen.pilot.inject.KubeInject} (a manifest
 * in, the injected manifest out), all driven by {@link dev.mizzen.pilot.inject.InjectionSettings}: policy,
 * Pebble templates, values and mesh config, shipped as defaults under {@code inject/} in the resources and
 * overlaid by a cluster's ConfigMaps or local files.
 */
package dev.mizzen.pilot.inject;
