package dev.mizzen.pilot.serviceregistry.kube;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Locality;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** Turns an EndpointSlice (plus the pods it points at) into endpoints of the mesh model. Pure. */
final class EndpointSliceConverter {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String REGION_LABEL = "topology.kubernetes.io/region";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final String SUBZONE_LABEL = "topology.istio.io/subzone";

    private EndpointSliceConverter() {
    }

    static Optional<String> serviceName(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return Optional.ofNullable(labels == null ? null : labels.get(SERVICE_NAME_LABEL));
    }

    /** The {@code namespace/name} of every pod the slice's endpoints point at. */
    static Set<String> podKeys(EndpointSlice slice) {
        Set<String> keys = new HashSet<>();
        if (slice.getEndpoints() != null) {
            for (var ep : slice.getEndpoints()) {
                var ref = ep.getTargetRef();
                if (ref != null && "Pod".equals(ref.getKind())) {
                    String ns = ref.getNamespace() != null ? ref.getNamespace() : slice.getMetadata().getNamespace();
                    keys.add(ns + "/" + ref.getName());
                }
            }
        }
        return keys;
    }

    /**
     * @param pods looks a pod up by namespace and name; null when the registry has not seen it
     */
    static List<Endpoint> convert(EndpointSlice slice, BiFunction<String, String, Pod> pods) {
        if (slice.getEndpoints() == null || "FQDN".equals(slice.getAddressType())) {
            return List.of();
        }
        Map<String, Integer> ports = new HashMap<>();
        if (slice.getPorts() != null) {
            for (EndpointPort port : slice.getPorts()) {
                if (port.getPort() != null) {
                    ports.put(port.getName() == null ? "" : port.getName(), port.getPort());
                }
            }
        }
        String namespace = slice.getMetadata().getNamespace();
        List<Endpoint> out = new ArrayList<>();
        for (var ep : slice.getEndpoints()) {
            if (ep.getAddresses() == null) {
                continue;
            }
            // Kubernetes: a missing ready condition means ready.
            boolean ready = ep.getConditions() == null || ep.getConditions().getReady() == null
                    || ep.getConditions().getReady();
            Pod pod = null;
            String podName = "";
            if (ep.getTargetRef() != null && "Pod".equals(ep.getTargetRef().getKind())) {
                podName = ep.getTargetRef().getName();
                String podNamespace = Optional.ofNullable(ep.getTargetRef().getNamespace()).orElse(namespace);
                pod = pods.apply(podNamespace, podName);
            }
            Map<String, String> labels = pod == null ? Map.of() : ServiceConverter.nonNull(pod.getMetadata().getLabels());
            String serviceAccount = pod == null || pod.getSpec() == null ? "" : pod.getSpec().getServiceAccountName();
            Locality locality = new Locality(labels.get(REGION_LABEL),
                    ep.getZone() != null ? ep.getZone() : labels.get(ZONE_LABEL), labels.get(SUBZONE_LABEL));
            for (String address : ep.getAddresses()) {
                out.add(new Endpoint(address, ports, podName, namespace, labels, serviceAccount, ready, locality));
            }
        }
        return out;
    }
}
