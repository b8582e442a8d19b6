package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;

import java.util.Map;

/**
 * Istio's validation rules, one {@link KindValidator} per kind, as istiod's webhook and {@code istioctl
 * validate} apply them (pkg/config/validation) plus the checks of the CRD schemas that a typed record cannot
 * express (one-of groups, enums, required fields). Stateless and thread-safe.
 */
public final class IstioValidator implements ConfigValidator {
    /** The rules by kind; {@link #rules(ConfigKind)} pairs each kind with its record's validator. */
    private static final Map<ConfigKind<?>, KindValidator<?>> RULES = Map.ofEntries(
            Map.entry(ConfigKind.VIRTUAL_SERVICE, new VirtualServiceValidator()),
            Map.entry(ConfigKind.DESTINATION_RULE, new DestinationRuleValidator()),
            Map.entry(ConfigKind.GATEWAY, new GatewayValidator()),
            Map.entry(ConfigKind.SERVICE_ENTRY, new ServiceEntryValidator()),
            Map.entry(ConfigKind.WORKLOAD_ENTRY, new WorkloadEntryValidator()),
            Map.entry(ConfigKind.SIDECAR, new SidecarValidator()),
            Map.entry(ConfigKind.PEER_AUTHENTICATION, new PeerAuthenticationValidator()),
            Map.entry(ConfigKind.AUTHORIZATION_POLICY, new AuthorizationPolicyValidator()),
            Map.entry(ConfigKind.REQUEST_AUTHENTICATION, new RequestAuthenticationValidator()),
            Map.entry(ConfigKind.WORKLOAD_GROUP, new WorkloadGroupValidator()),
            Map.entry(ConfigKind.ENVOY_FILTER, new EnvoyFilterValidator()),
            Map.entry(ConfigKind.PROXY_CONFIG, new ProxyConfigValidator()),
            Map.entry(ConfigKind.TELEMETRY, new TelemetryValidator()),
            Map.entry(ConfigKind.WASM_PLUGIN, new WasmPluginValidator()));

    @Override
    public <S> ValidationReport validate(ConfigKind<S> kind, String namespace, S spec) {
        Findings out = new Findings();
        rules(kind).validate(spec, namespace == null || namespace.isEmpty() ? "default" : namespace, out);
        return out.report();
    }

    /** Each validator is registered under the kind of the record it validates. */
    @SuppressWarnings("unchecked")
    private static <S> KindValidator<S> rules(ConfigKind<S> kind) {
        KindValidator<?> rules = RULES.get(kind);
        if (rules == null) {
            throw new IllegalArgumentException("no validation rules for " + kind);
        }
        return (KindValidator<S>) rules;
    }
}
