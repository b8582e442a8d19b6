package dev.mizzen.pilot.model;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.ConfigSnapshot;
import dev.mizzen.pilot.networking.envoyfilter.EnvoyFilterIndex;
import dev.mizzen.pilot.networking.telemetry.TelemetryIndex;
import dev.mizzen.pilot.networking.wasm.WasmPluginIndex;
import dev.mizzen.pilot.security.authn.RequestAuthenticationIndex;
import dev.mizzen.pilot.security.authz.AuthorizationPolicyIndex;
import dev.mizzen.pilot.serviceregistry.serviceentry.ServiceEntryConverter;

/**
 * The Istio config of one push, indexed once: what a full push rebuilds and an endpoint-only push keeps,
 * ServiceEntries already converted into services. Immutable.
 */
record ConfigIndexes(VirtualServiceIndex virtualServices, DestinationRuleIndex destinationRules, SidecarIndex sidecars,
                     PeerAuthenticationIndex peerAuthentications, GatewayIndex gateways,
                     AuthorizationPolicyIndex authorizationPolicies, RequestAuthenticationIndex requestAuthentications,
                     ServiceEntryConverter.Converted serviceEntries, EnvoyFilterIndex envoyFilters,
                     TelemetryIndex telemetries, WasmPluginIndex wasmPlugins, ConfigSnapshot snapshot) {

    static ConfigIndexes of(ConfigSnapshot configs, MeshSettings mesh) {
        return new ConfigIndexes(
                VirtualServiceIndex.build(configs.list(ConfigKind.VIRTUAL_SERVICE), mesh),
                DestinationRuleIndex.build(configs.list(ConfigKind.DESTINATION_RULE), mesh),
                SidecarIndex.build(configs.list(ConfigKind.SIDECAR), mesh),
                PeerAuthenticationIndex.build(configs.list(ConfigKind.PEER_AUTHENTICATION), mesh),
                GatewayIndex.build(configs.list(ConfigKind.GATEWAY)),
                AuthorizationPolicyIndex.build(configs.list(ConfigKind.AUTHORIZATION_POLICY), mesh.rootNamespace()),
                RequestAuthenticationIndex.build(configs.list(ConfigKind.REQUEST_AUTHENTICATION), mesh.rootNamespace()),
                ServiceEntryConverter.convert(configs.list(ConfigKind.SERVICE_ENTRY), configs.list(ConfigKind.WORKLOAD_ENTRY)),
                EnvoyFilterIndex.build(configs.list(ConfigKind.ENVOY_FILTER), mesh.rootNamespace()),
                TelemetryIndex.build(configs.list(ConfigKind.TELEMETRY), mesh.rootNamespace()),
                WasmPluginIndex.build(configs.list(ConfigKind.WASM_PLUGIN), mesh.rootNamespace()),
                configs);
    }
}
