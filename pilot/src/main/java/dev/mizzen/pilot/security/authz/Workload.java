package dev.mizzen.pilot.security.authz;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What policy selection needs to know of a proxy: its namespace and labels. A workload that carries
 * Gateway API's {@code gateway.networking.k8s.io/gateway-name} label implements that Gateway and is selected
 * by {@code targetRef(s)} of kind Gateway, as in Istio's {@code WorkloadPolicyMatcher}.
 */
public record Workload(String namespace, Map<String, String> labels) {
    static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

    public Workload {
        Objects.requireNonNull(namespace, "namespace");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static Workload of(String namespace, Map<String, String> labels) {
        return new Workload(namespace, labels);
    }

    /** The Gateway API Gateway this workload implements, if any. */
    public Optional<String> gatewayName() {
        return Optional.ofNullable(labels.get(GATEWAY_NAME_LABEL));
    }
}
