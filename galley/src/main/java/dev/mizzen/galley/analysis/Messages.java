package dev.mizzen.galley.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The message types Mizzen's analyzers report, with Istio's codes, names, levels and templates exactly as in
 * Istio's {@code pkg/config/analysis/msg/messages.yaml}, so that a code found in Istio's documentation, a
 * suppression or a CI rule means the same thing here.
 */
public final class Messages {
    public static final MessageType DEPRECATED = new MessageType("IST0002", "Deprecated", Level.WARNING,
            "Deprecated: %s");
    public static final MessageType REFERENCED_RESOURCE_NOT_FOUND = new MessageType("IST0101",
            "ReferencedResourceNotFound", Level.ERROR, "Referenced %s not found: %q");
    public static final MessageType NAMESPACE_NOT_INJECTED = new MessageType("IST0102", "NamespaceNotInjected",
            Level.INFO, "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s"
            + " istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to"
            + " explicitly mark it as not needing injection.");
    public static final MessageType POD_MISSING_PROXY = new MessageType("IST0103", "PodMissingProxy", Level.WARNING,
            "The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the"
                    + " workload.");
    public static final MessageType SCHEMA_VALIDATION_ERROR = new MessageType("IST0106", "SchemaValidationError",
            Level.ERROR, "Schema validation error: %v");
    public static final MessageType MISPLACED_ANNOTATION = new MessageType("IST0107", "MisplacedAnnotation",
            Level.WARNING, "Misplaced annotation: %s can only be applied to %s");
    public static final MessageType UNKNOWN_ANNOTATION = new MessageType("IST0108", "UnknownAnnotation",
            Level.WARNING, "Unknown annotation: %s");
    public static final MessageType CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS = new MessageType("IST0109",
            "ConflictingMeshGatewayVirtualServiceHosts", Level.ERROR, "The VirtualServices %s associated with mesh"
            + " gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the"
            + " conflicting VirtualServices into a single resource.");
    public static final MessageType CONFLICTING_SIDECAR_WORKLOAD_SELECTORS = new MessageType("IST0110",
            "ConflictingSidecarWorkloadSelectors", Level.ERROR,
            "The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.");
    public static final MessageType MULTIPLE_SIDECARS_WITHOUT_WORKLOAD_SELECTORS = new MessageType("IST0111",
            "MultipleSidecarsWithoutWorkloadSelectors", Level.ERROR,
            "The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.");
    public static final MessageType VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED = new MessageType("IST0112",
            "VirtualServiceDestinationPortSelectorRequired", Level.ERROR, "This VirtualService routes to a service %q"
            + " that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.");
    public static final MessageType DEPLOYMENT_ASSOCIATED_TO_MULTIPLE_SERVICES = new MessageType("IST0116",
            "DeploymentAssociatedToMultipleServices", Level.WARNING,
            "This deployment %s is associated with multiple services using port %d but different protocols: %v");
    public static final MessageType PORT_NAME_IS_NOT_UNDER_NAMING_CONVENTION = new MessageType("IST0118",
            "PortNameIsNotUnderNamingConvention", Level.INFO,
            "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port.");
    public static final MessageType NAMESPACE_MULTIPLE_INJECTION_LABELS = new MessageType("IST0123",
            "NamespaceMultipleInjectionLabels", Level.WARNING, "The namespace has more than one type of injection"
            + " labels %v, which may lead to undefined behavior. Make sure only one injection label exists.");
    public static final MessageType INVALID_ANNOTATION = new MessageType("IST0125", "InvalidAnnotation",
            Level.WARNING, "Invalid annotation %s: %s");
    public static final MessageType NO_MATCHING_WORKLOADS_FOUND = new MessageType("IST0127",
            "NoMatchingWorkloadsFound", Level.WARNING,
            "No matching workloads for this resource with the following labels: %s");
    public static final MessageType NO_SERVER_CERTIFICATE_VERIFICATION_DESTINATION_LEVEL = new MessageType("IST0128",
            "NoServerCertificateVerificationDestinationLevel", Level.WARNING, "DestinationRule %s in namespace %s has"
            + " TLS mode set to %s but no caCertificates are set to validate server identity for host: %s");
    public static final MessageType NO_SERVER_CERTIFICATE_VERIFICATION_PORT_LEVEL = new MessageType("IST0129",
            "NoServerCertificateVerificationPortLevel", Level.WARNING, "DestinationRule %s in namespace %s has TLS"
            + " mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s");
    public static final MessageType VIRTUAL_SERVICE_UNREACHABLE_RULE = new MessageType("IST0130",
            "VirtualServiceUnreachableRule", Level.WARNING, "VirtualService rule %v not used (%s).");
    public static final MessageType VIRTUAL_SERVICE_INEFFECTIVE_MATCH = new MessageType("IST0131",
            "VirtualServiceIneffectiveMatch", Level.INFO,
            "VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).");
    public static final MessageType VIRTUAL_SERVICE_HOST_NOT_FOUND_IN_GATEWAY = new MessageType("IST0132",
            "VirtualServiceHostNotFoundInGateway", Level.WARNING,
            "one or more host %v defined in VirtualService %s not found in Gateway %s.");
    public static final MessageType SCHEMA_WARNING = new MessageType("IST0133", "SchemaWarning", Level.WARNING,
            "Schema validation warning: %v");
    public static final MessageType SERVICE_ENTRY_ADDRESSES_REQUIRED = new MessageType("IST0134",
            "ServiceEntryAddressesRequired", Level.WARNING, "ServiceEntry addresses are required for this protocol.");
    public static final MessageType DEPRECATED_ANNOTATION = new MessageType("IST0135", "DeprecatedAnnotation",
            Level.INFO, "Annotation %q has been deprecated%s and may not work in future Istio versions.");
    public static final MessageType DEPLOYMENT_CONFLICTING_PORTS = new MessageType("IST0137",
            "DeploymentConflictingPorts", Level.WARNING,
            "This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.");
    public static final MessageType GATEWAY_DUPLICATE_CERTIFICATE = new MessageType("IST0138",
            "GatewayDuplicateCertificate", Level.WARNING,
            "Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.");
    public static final MessageType INGRESS_ROUTE_RULES_NOT_AFFECTED = new MessageType("IST0140",
            "IngressRouteRulesNotAffected", Level.WARNING,
            "Subset in virtual service %s has no effect on ingress gateway %s requests");
    public static final MessageType INVALID_APPLICATION_UID = new MessageType("IST0144", "InvalidApplicationUID",
            Level.WARNING, "User ID (UID) 1337 is reserved for the sidecar proxy.");
    public static final MessageType CONFLICTING_GATEWAYS = new MessageType("IST0145", "ConflictingGateways",
            Level.ERROR, "Conflict with gateways %s (workload selector %s, port %s, hosts %v).");
    public static final MessageType NAMESPACE_INJECTION_ENABLED_BY_DEFAULT = new MessageType("IST0148",
            "NamespaceInjectionEnabledByDefault", Level.INFO,
            "is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true.");
    public static final MessageType JWT_CLAIM_BASED_ROUTING_WITHOUT_REQUEST_AUTHN = new MessageType("IST0149",
            "JwtClaimBasedRoutingWithoutRequestAuthN", Level.ERROR, "The virtual service uses the JWT claim based"
            + " routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request"
            + " authentication must first be applied for the gateway pods to validate the JWT token and make the claims"
            + " available for routing.");
    public static final MessageType EXTERNAL_NAME_SERVICE_TYPE_INVALID_PORT_NAME = new MessageType("IST0150",
            "ExternalNameServiceTypeInvalidPortName", Level.WARNING, "Port name for ExternalName service is invalid."
            + " Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being"
            + " forwarded correctly");
    public static final MessageType ENVOY_FILTER_USES_RELATIVE_OPERATION = new MessageType("IST0151",
            "EnvoyFilterUsesRelativeOperation", Level.WARNING, "This EnvoyFilter does not have a priority and has a"
            + " relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST"
            + " of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.");
    public static final MessageType ENVOY_FILTER_USES_REPLACE_OPERATION_INCORRECTLY = new MessageType("IST0152",
            "EnvoyFilterUsesReplaceOperationIncorrectly", Level.ERROR,
            "The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER.");
    public static final MessageType ENVOY_FILTER_USES_ADD_OPERATION_INCORRECTLY = new MessageType("IST0153",
            "EnvoyFilterUsesAddOperationIncorrectly", Level.ERROR,
            "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.");
    public static final MessageType ENVOY_FILTER_USES_REMOVE_OPERATION_INCORRECTLY = new MessageType("IST0154",
            "EnvoyFilterUsesRemoveOperationIncorrectly", Level.ERROR,
            "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.");
    public static final MessageType ENVOY_FILTER_USES_RELATIVE_OPERATION_WITH_PROXY_VERSION = new MessageType(
            "IST0155", "EnvoyFilterUsesRelativeOperationWithProxyVersion", Level.WARNING, "This EnvoyFilter does not"
            + " have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and"
            + " proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the"
            + " INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied"
            + " correctly.");
    public static final MessageType INVALID_TELEMETRY_PROVIDER = new MessageType("IST0157",
            "InvalidTelemetryProvider", Level.WARNING,
            "The Telemetry %v in namespace %q with empty providers will be ignored.");
    public static final MessageType PODS_ISTIO_PROXY_IMAGE_MISMATCH_IN_NAMESPACE = new MessageType("IST0158",
            "PodsIstioProxyImageMismatchInNamespace", Level.WARNING, "The Istio proxy images of the pods running in the"
            + " namespace do not match the image defined in the injection configuration (pod names: %v). This often"
            + " happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.");
    public static final MessageType CONFLICTING_TELEMETRY_WORKLOAD_SELECTORS = new MessageType("IST0159",
            "ConflictingTelemetryWorkloadSelectors", Level.ERROR, "The Telemetries %v in namespace %q select the same"
            + " workload pod %q, which can lead to undefined behavior.");
    public static final MessageType MULTIPLE_TELEMETRIES_WITHOUT_WORKLOAD_SELECTORS = new MessageType("IST0160",
            "MultipleTelemetriesWithoutWorkloadSelectors", Level.ERROR,
            "The Telemetries %v in namespace %q have no workload selector, which can lead to undefined behavior.");
    public static final MessageType INVALID_GATEWAY_CREDENTIAL = new MessageType("IST0161",
            "InvalidGatewayCredential", Level.ERROR, "The credential referenced by the Gateway %s in namespace %s is"
            + " invalid, which can cause the traffic not to work as expected.");
    public static final MessageType GATEWAY_PORT_NOT_DEFINED_ON_SERVICE = new MessageType("IST0162",
            "GatewayPortNotDefinedOnService", Level.WARNING, "The gateway is listening on a target port (port %d)"
            + " that is not defined in the Service associated with its workload instances (Pod selector %s). If you"
            + " need to access the gateway port through the gateway Service, it will not be available.");
    public static final MessageType REFERENCED_INTERNAL_GATEWAY = new MessageType("IST0165",
            "ReferencedInternalGateway", Level.WARNING,
            "Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s.");
    public static final MessageType INEFFECTIVE_POLICY = new MessageType("IST0167", "IneffectivePolicy",
            Level.WARNING, "The policy has no impact: %s.");
    public static final MessageType DESTINATION_RULE_SUBSET_NOT_SELECT_PODS = new MessageType("IST0173",
            "DestinationRuleSubsetNotSelectPods", Level.ERROR, "The Subset %s defined in the DestinationRule does not"
            + " select any pods. Which may lead to 503 UH (NoHealthyUpstream).");
    public static final MessageType UNKNOWN_DESTINATION_RULE_HOST = new MessageType("IST0174",
            "UnknownDestinationRuleHost", Level.WARNING,
            "The host %s defined in the DestinationRule does not match any services in the mesh.");
    public static final MessageType CONFLICTING_SERVICE_ENTRY_PROTOCOL = new MessageType("IST0177",
            "ConflictingServiceEntryProtocol", Level.WARNING, "Multiple ServiceEntries (%s) define the same host %q"
            + " and port %d with conflicting protocols (%s).");

    private static final List<MessageType> ALL = List.of(DEPRECATED, REFERENCED_RESOURCE_NOT_FOUND, NAMESPACE_NOT_INJECTED,
            POD_MISSING_PROXY, SCHEMA_VALIDATION_ERROR, MISPLACED_ANNOTATION, UNKNOWN_ANNOTATION,
            CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS, CONFLICTING_SIDECAR_WORKLOAD_SELECTORS,
            MULTIPLE_SIDECARS_WITHOUT_WORKLOAD_SELECTORS, VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED,
            DEPLOYMENT_ASSOCIATED_TO_MULTIPLE_SERVICES, PORT_NAME_IS_NOT_UNDER_NAMING_CONVENTION, NAMESPACE_MULTIPLE_INJECTION_LABELS,
            INVALID_ANNOTATION,
            NO_MATCHING_WORKLOADS_FOUND, NO_SERVER_CERTIFICATE_VERIFICATION_DESTINATION_LEVEL,
            NO_SERVER_CERTIFICATE_VERIFICATION_PORT_LEVEL, VIRTUAL_SERVICE_UNREACHABLE_RULE,
            VIRTUAL_SERVICE_INEFFECTIVE_MATCH, VIRTUAL_SERVICE_HOST_NOT_FOUND_IN_GATEWAY, SCHEMA_WARNING,
            SERVICE_ENTRY_ADDRESSES_REQUIRED, DEPRECATED_ANNOTATION, DEPLOYMENT_CONFLICTING_PORTS,
            GATEWAY_DUPLICATE_CERTIFICATE, INGRESS_ROUTE_RULES_NOT_AFFECTED, INVALID_APPLICATION_UID,
            CONFLICTING_GATEWAYS, NAMESPACE_INJECTION_ENABLED_BY_DEFAULT, JWT_CLAIM_BASED_ROUTING_WITHOUT_REQUEST_AUTHN,
            EXTERNAL_NAME_SERVICE_TYPE_INVALID_PORT_NAME, ENVOY_FILTER_USES_RELATIVE_OPERATION,
            ENVOY_FILTER_USES_REPLACE_OPERATION_INCORRECTLY, ENVOY_FILTER_USES_ADD_OPERATION_INCORRECTLY,
            ENVOY_FILTER_USES_REMOVE_OPERATION_INCORRECTLY, ENVOY_FILTER_USES_RELATIVE_OPERATION_WITH_PROXY_VERSION,
            INVALID_TELEMETRY_PROVIDER, PODS_ISTIO_PROXY_IMAGE_MISMATCH_IN_NAMESPACE, CONFLICTING_TELEMETRY_WORKLOAD_SELECTORS,
            MULTIPLE_TELEMETRIES_WITHOUT_WORKLOAD_SELECTORS, INVALID_GATEWAY_CREDENTIAL, GATEWAY_PORT_NOT_DEFINED_ON_SERVICE,
            REFERENCED_INTERNAL_GATEWAY, INEFFECTIVE_POLICY, DESTINATION_RULE_SUBSET_NOT_SELECT_PODS,
            UNKNOWN_DESTINATION_RULE_HOST,
            CONFLICTING_SERVICE_ENTRY_PROTOCOL);

    private Messages() {
    }

    /** Every message type Mizzen reports, in code order. */
    public static List<MessageType> all() {
        return ALL;
    }

    public static Optional<MessageType> byCode(String code) {
        return ALL.stream().filter(t -> t.code().equals(code)).findFirst();
    }
}
