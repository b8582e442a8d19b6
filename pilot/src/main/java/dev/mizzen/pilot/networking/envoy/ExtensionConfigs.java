package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoyfilter.ConfigPatch;
import dev.mizzen.pilot.networking.wasm.WasmPluginIndex;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;

import java.util.Optional;

/**
 * ECDS by name (Istio's ecds.go): a WasmPlugin's Wasm filter, else an extension config an EnvoyFilter ADDs
 * ({@code applyTo: EXTENSION_CONFIG}) for the proxy; nothing for a name neither defines. Pure.
 */
final class ExtensionConfigs {
    private ExtensionConfigs() {
    }

    static Optional<TypedExtensionConfig> build(String name, Proxy proxy, PushContext push) {
        for (WasmPluginIndex.Plugin p : push.wasmPlugins(proxy)) {
            if (p.resourceName().equals(name)) {
                return Optional.of(WasmPluginIndex.extensionConfig(p));
            }
        }
        for (ConfigPatch cp : push.envoyFilters(proxy).get(ConfigPatch.ApplyTo.EXTENSION_CONFIG)) {
            if (cp.operation() == ConfigPatch.Operation.ADD && cp.value() instanceof TypedExtensionConfig ec
                    && ec.getName().equals(name)) {
                return Optional.of(ec);
            }
        }
        return Optional.empty();
    }
}
