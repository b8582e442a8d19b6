package dev.mizzen.galley.validation;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Gateway;
import dev.mizzen.api.networking.ServiceEntry;
import dev.mizzen.api.networking.Sidecar;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.api.networking.WorkloadEntry;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.PeerAuthentication;
import dev.mizzen.api.security.RequestAuthentication;

/**
 * Istio's validation rules, one {@link KindValidator} per kind, as istiod's webhook and {@code istioctl
 * validate} apply them (pkg/config/validation) plus the checks of the CRD schemas that a typed record cannot
 * express (one-of groups, enums, required fields). Stateless and thread-safe.
 */
public final class IstioValidator implements ConfigValidator {
    private static final VirtualServiceValidator VIRTUAL_SERVICE = new VirtualServiceValidator();
    private static final DestinationRuleValidator DESTINATION_RULE = new DestinationRuleValidator();
    private static final GatewayValidator GATEWAY = new GatewayValidator();
    private static final ServiceEntryValidator SERVICE_ENTRY = new ServiceEntryValidator();
    private static final WorkloadEntryValidator WORKLOAD_ENTRY = new WorkloadEntryValidator();
    private static final SidecarValidator SIDECAR = new SidecarValidator();
    private static final PeerAuthenticationValidator PEER_AUTHENTICATION = new PeerAuthenticationValidator();
    private static final AuthorizationPolicyValidator AUTHORIZATION_POLICY = new AuthorizationPolicyValidator();
    private static final RequestAuthenticationValidator REQUEST_AUTHENTICATION = new RequestAuthenticationValidator();

    @Override
    public ValidationReport validate(ConfigKind kind, String namespace, Object spec) {
        Findings out = new Findings();
        String ns = namespace == null || namespace.isEmpty() ? "default" : namespace;
        switch (kind) {
            case VIRTUAL_SERVICE -> VIRTUAL_SERVICE.validate((VirtualService) spec, ns, out);
            case DESTINATION_RULE -> DESTINATION_RULE.validate((DestinationRule) spec, ns, out);
            case GATEWAY -> GATEWAY.validate((Gateway) spec, ns, out);
            case SERVICE_ENTRY -> SERVICE_ENTRY.validate((ServiceEntry) spec, ns, out);
            case WORKLOAD_ENTRY -> WORKLOAD_ENTRY.validate((WorkloadEntry) spec, ns, out);
            case SIDECAR -> SIDECAR.validate((Sidecar) spec, ns, out);
            case PEER_AUTHENTICATION -> PEER_AUTHENTICATION.validate((PeerAuthentication) spec, ns, out);
            case AUTHORIZATION_POLICY -> AUTHORIZATION_POLICY.validate((AuthorizationPolicy) spec, ns, out);
            case REQUEST_AUTHENTICATION -> REQUEST_AUTHENTICATION.validate((RequestAuthentication) spec, ns, out);
        }
        return out.report();
    }
}
