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
    private static final Map<ConfigKind<?>, KindValidator<?>> RULES = Map.of(
            ConfigKind.VIRTUAL_SERVICE, new VirtualServiceValidator(),
            ConfigKind.DESTINATION_RULE, new DestinationRuleValidator(),
            ConfigKind.GATEWAY, new GatewayValidator(),
            ConfigKind.SERVICE_ENTRY, new ServiceEntryValidator(),
            ConfigKind.WORKLOAD_ENTRY, new WorkloadEntryValidator(),
            ConfigKind.SIDECAR, new SidecarValidator(),
            ConfigKind.PEER_AUTHENTICATION, new PeerAuthenticationValidator(),
            ConfigKind.AUTHORIZATION_POLICY, new AuthorizationPolicyValidator(),
            ConfigKind.REQUEST_AUTHENTICATION, new RequestAuthenticationValidator());

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
