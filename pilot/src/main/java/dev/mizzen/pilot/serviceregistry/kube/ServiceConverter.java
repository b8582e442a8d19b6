package dev.mizzen.pilot.serviceregistry.kube;

import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.model.TargetPort;
import io.fabric8.kubernetes.api.model.IntOrString;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a Kubernetes Service into the mesh's service model. Pure. */
final class ServiceConverter {
    /** Istio's annotation that limits which namespaces see a service. */
    static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

    private ServiceConverter() {
    }

    static String hostname(String name, String namespace, String domainSuffix) {
        return name + "." + namespace + ".svc." + domainSuffix;
    }

    static Service convert(io.fabric8.kubernetes.api.model.Service svc, String domainSuffix) {
        var meta = svc.getMetadata();
        var spec = svc.getSpec();
        List<ServicePort> ports = spec == null || spec.getPorts() == null ? List.of() : spec.getPorts().stream()
                .filter(p -> p.getPort() != null)
                .map(p -> new ServicePort(p.getName(), p.getPort(), targetPort(p.getTargetPort(), p.getPort()),
                        Protocol.select(p.getName(), p.getAppProtocol(), p.getProtocol())))
                .toList();
        String clusterIp = spec == null ? "" : Optional.ofNullable(spec.getClusterIP()).orElse("");
        if (clusterIp.equals("None")) {
            clusterIp = "";
        }
        Map<String, String> selector = spec == null || spec.getSelector() == null ? Map.of() : spec.getSelector();
        // headless services have no VIP: clients address pods directly
        Resolution resolution = clusterIp.isEmpty() ? Resolution.PASSTHROUGH : Resolution.CLIENT_SIDE_LB;
        return new Service(hostname(meta.getName(), meta.getNamespace(), domainSuffix), meta.getNamespace(),
                meta.getName(), clusterIp, ports, nonNull(meta.getLabels()), selector, exportTo(meta.getAnnotations()),
                resolution, Location.MESH_INTERNAL);
    }

    private static TargetPort targetPort(IntOrString target, int port) {
        if (target == null) {
            return TargetPort.of(port);
        }
        if (target.getIntVal() != null) {
            return TargetPort.of(target.getIntVal());
        }
        String value = target.getStrVal();
        if (value != null && value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            return TargetPort.of(Integer.parseInt(value));
        }
        return value == null ? TargetPort.of(port) : TargetPort.named(value);
    }

    private static Set<String> exportTo(Map<String, String> annotations) {
        if (annotations == null || !annotations.containsKey(EXPORT_TO_ANNOTATION)) {
            return Set.of();
        }
        return Arrays.stream(annotations.get(EXPORT_TO_ANNOTATION).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    static Map<String, String> nonNull(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
