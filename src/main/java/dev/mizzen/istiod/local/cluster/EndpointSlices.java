package dev.mizzen.istiod.local.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The EndpointSlices Kubernetes' EndpointSlice controller keeps for a Service, as a pure function of the Service
 * and its namespace's pods:
 * <ul>
 *   <li>only Services with a selector have managed slices; a pod is in them when the selector matches its labels,
 *       it has an IP and it has not finished (phase Succeeded or Failed);</li>
 *   <li>each endpoint's conditions: {@code serving} = the pod is Ready, {@code terminating} = it has a deletion
 *       timestamp, {@code ready} = serving and not terminating, or always with {@code publishNotReadyAddresses};</li>
 *   <li>ports: a numeric target port as is, a named one looked up among the pod's container ports (name and
 *       protocol); a pod without the named port is left out of that port, and pods with different resolved ports
 *       go to different slices; at most 100 endpoints a slice;</li>
 *   <li>the hostname is set when the pod's {@code subdomain} names the Service and it has a {@code hostname};</li>
 *   <li>a Service with no endpoints keeps one empty placeholder slice;</li>
 *   <li>labels {@code kubernetes.io/service-name}, {@code endpointslice.kubernetes.io/managed-by} (and
 *       {@code service.kubernetes.io/headless} for headless Services) over the Service's own; owned by the
 *       Service. Names are {@code <service>-<5 characters>} from a hash of what the slice holds, not random.</li>
 * </ul>
 */
public final class EndpointSlices {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    static final int MAX_ENDPOINTS = 100;

    private EndpointSlices() {
    }

    /** The slices {@code service} should have, given every pod of its namespace. */
    public static List<EndpointSlice> desired(Service service, Collection<Pod> pods) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<List<EndpointPort>, List<Endpoint>> byPorts = new LinkedHashMap<>();
        pods.stream()
                .filter(p -> Selectors.serviceSelects(selector, p.getMetadata().getLabels()))
                .filter(EndpointSlices::shouldBeInEndpoints)
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getName()))
                .forEach(pod -> byPorts.computeIfAbsent(ports(service, pod), k -> new ArrayList<>())
                        .add(endpoint(service, pod, publishNotReady)));
        List<EndpointSlice> out = new ArrayList<>();
        if (byPorts.isEmpty()) {
            out.add(slice(service, null, List.of(), 0));
            return out;
        }
        for (var group : byPorts.entrySet()) {
            List<Endpoint> endpoints = group.getValue();
            for (int chunk = 0; chunk * MAX_ENDPOINTS < endpoints.size(); chunk++) {
                out.add(slice(service, group.getKey(), endpoints.subList(chunk * MAX_ENDPOINTS,
                        Math.min(endpoints.size(), (chunk + 1) * MAX_ENDPOINTS)), chunk));
            }
        }
        return out;
    }

    static boolean shouldBeInEndpoints(Pod pod) {
        var status = pod.getStatus();
        if (status == null || status.getPodIP() == null || status.getPodIP().isEmpty()) {
            return false;
        }
        String phase = status.getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Endpoint endpoint(Service service, Pod pod, boolean publishNotReady) {
        boolean serving = isReady(pod);
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        boolean ready = publishNotReady || (serving && !terminating);
        EndpointBuilder ep = new EndpointBuilder()
                .withAddresses(pod.getStatus().getPodIP())
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef();
        var spec = pod.getSpec();
        if (spec != null && spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            ep.withNodeName(spec.getNodeName());
        }
        if (spec != null && spec.getHostname() != null && !spec.getHostname().isEmpty()
                && service.getMetadata().getName().equals(spec.getSubdomain())) {
            ep.withHostname(spec.getHostname());
        }
        return ep.build();
    }

    /** The service's ports as this pod serves them; ports the pod cannot resolve are left out. */
    static List<EndpointPort> ports(Service service, Pod pod) {
        List<EndpointPort> out = new ArrayList<>();
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        for (ServicePort sp : servicePorts) {
            String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
            findPort(pod, sp.getTargetPort(), sp.getPort(), protocol).ifPresent(port -> out.add(new EndpointPortBuilder()
                    .withName(sp.getName() == null ? "" : sp.getName())
                    .withPort(port)
                    .withProtocol(protocol)
                    .withAppProtocol(sp.getAppProtocol())
                    .build()));
        }
        return out;
    }

    /** Kubernetes' FindPort: a number is itself; a name is the container port of that name and protocol. */
    static Optional<Integer> findPort(Pod pod, IntOrString target, Integer servicePort, String protocol) {
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return Optional.ofNullable(servicePort);
        }
        if (target.getIntVal() != null) {
            return Optional.of(target.getIntVal());
        }
        String name = target.getStrVal();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            return Optional.of(Integer.parseInt(name));
        }
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return Optional.empty();
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
                if (name.equals(p.getName()) && pp.equals(protocol)) {
                    return Optional.ofNullable(p.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }

    private static EndpointSlice slice(Service service, List<EndpointPort> ports, List<Endpoint> endpoints, int chunk) {
        var meta = service.getMetadata();
        Map<String, String> labels = new TreeMap<>();
        if (meta.getLabels() != null) {
            labels.putAll(meta.getLabels());
        }
        labels.put(SERVICE_NAME_LABEL, meta.getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if ("None".equals(service.getSpec().getClusterIP())) {
            labels.put(HEADLESS_LABEL, "");
        }
        String seed = meta.getNamespace() + "/" + meta.getName() + "|" + (ports == null ? "placeholder" : portsKey(ports))
                + "|" + chunk;
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(Names.generated(meta.getName(), seed, 5))
                .withNamespace(meta.getNamespace())
                .withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                        .withName(meta.getName()).withUid(meta.getUid()).withController(true).withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withAddressType("IPv4")
                .withPorts(ports == null ? null : ports)
                .withEndpoints(endpoints)
                .build();
    }

    private static String portsKey(List<EndpointPort> ports) {
        StringBuilder key = new StringBuilder();
        for (EndpointPort p : ports) {
            key.append(p.getName()).append(':').append(p.getPort()).append('/').append(p.getProtocol())
                    .append('/').append(Objects.toString(p.getAppProtocol(), "")).append(',');
        }
        return key.toString();
    }
}
