package dev.mizzen.pilot.model;

import java.util.Map;
import java.util.Optional;

/**
 * One workload address behind a service, with the target port for each service port name it serves.
 *
 * @param ports          service port name -> port number on the workload
 * @param labels         the pod's labels (subsets select on them)
 * @param serviceAccount the pod's service account, empty when unknown
 * @param ready          false when the EndpointSlice marks it not ready; such endpoints are not served
 */
public record Endpoint(String address, Map<String, Integer> ports, String podName, String namespace,
                       Map<String, String> labels, String serviceAccount, boolean ready, Locality locality) {
    public Endpoint {
        ports = Map.copyOf(ports);
        podName = podName == null ? "" : podName;
        labels = Map.copyOf(labels);
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        locality = locality == null ? Locality.UNKNOWN : locality;
    }

    public Optional<Integer> portFor(ServicePort servicePort) {
        Integer number = ports.get(servicePort.name());
        if (number == null && ports.size() == 1 && servicePort.name().isEmpty()) {
            number = ports.values().iterator().next();
        }
        return Optional.ofNullable(number);
    }

    public boolean hasLabels(Map<String, String> selector) {
        return labels.entrySet().containsAll(selector.entrySet());
    }
}
