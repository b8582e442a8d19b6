package dev.mizzen.api.extensions;

import dev.mizzen.api.config.Copies;

import dev.mizzen.api.networking.PortSelector;
import dev.mizzen.api.security.PolicyTargetReference;
import dev.mizzen.api.security.WorkloadSelector;

import java.util.List;
import java.util.Map;

/**
 * Istio's {@code WasmPlugin} ({@code extensions.istio.io/v1alpha1}): a Wasm module the agent fetches
 * ({@code url}, {@code sha256}, pull policy and secret) and Envoy runs as an HTTP or network filter at a
 * {@code phase} and {@code priority}, configured with {@code pluginConfig}.
 */
public record WasmPlugin(WorkloadSelector selector, PolicyTargetReference targetRef,
                         List<PolicyTargetReference> targetRefs, String url, String sha256, String imagePullPolicy,
                         String imagePullSecret, String verificationKey, Map<String, Object> pluginConfig,
                         String pluginName, String phase, Integer priority, String failStrategy, VmConfig vmConfig,
                         List<TrafficSelector> match, String type) {
    public WasmPlugin {
        targetRefs = Copies.list(targetRefs);
        match = Copies.list(match);
        // absent and empty configure the plugin alike (Istio passes no configuration for either)
        pluginConfig = pluginConfig == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pluginConfig));
    }

    public record VmConfig(List<EnvVar> env) {
        public VmConfig {
            env = Copies.list(env);
        }
    }

    /** An environment variable of the Wasm VM: a literal ({@code INLINE}) or the proxy's own ({@code HOST}). */
    public record EnvVar(String name, String valueFrom, String value) {
    }

    /** Where the plugin runs: {@code CLIENT}, {@code SERVER} or both, and on which ports. */
    public record TrafficSelector(String mode, List<PortSelector> ports) {
        public TrafficSelector {
            ports = Copies.list(ports);
        }
    }
}
