package dev.mizzen.bench.mesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects and Istio specs of a {@link MeshShape}, as a cluster would hold them. Pure: the
 * same shape and arguments give equal objects.
 */
public final class MeshObjects {
    public static final String VIRTUAL_SERVICE_KIND = "VirtualService";
    public static final String DESTINATION_RULE_KIND = "DestinationRule";
    public static final String SIDECAR_KIND = "Sidecar";
    /** The name of the namespace-wide Sidecar of {@link SidecarScope#NAMESPACE}, as Istio's docs name it. */
    public static final String SIDECAR_NAME = "default";
    public static final String ISTIO_API_VERSION = "networking.istio.io/v1";

    private final MeshShape shape;

    public MeshObjects(MeshShape shape) {
        this.shape = shape;
    }

    public Service service(int s) {
        return new ServiceBuilder()
                .withNewMetadata().withName(shape.serviceName(s)).withNamespace(shape.serviceNamespace(s))
                .withLabels(Map.of("app", shape.serviceName(s))).endMetadata()
                .withNewSpec()
                .withClusterIP(shape.clusterIp(s))
                .addNewPort().withName(MeshShape.PORT_NAME).withPort(MeshShape.PORT)
                .withTargetPort(new IntOrString(MeshShape.PORT)).endPort()
                .withSelector(Map.of("app", shape.serviceName(s)))
                .endSpec()
                .build();
    }

    public Pod pod(int s, int e) {
        return new PodBuilder()
                .withNewMetadata().withName(shape.podName(s, e)).withNamespace(shape.serviceNamespace(s))
                .withLabels(Map.of("app", shape.serviceName(s), "version", shape.version(e))).endMetadata()
                .withNewSpec().withServiceAccountName(shape.serviceName(s))
                .addNewContainer().withName("app").withImage("mizzen/bench").endContainer()
                .endSpec()
                .withNewStatus().withPodIP(shape.podIp(s, e)).withPhase("Running").endStatus()
                .build();
    }

    /** The service's EndpointSlice; {@code addresses.get(e)} is the address of pod e. */
    public EndpointSlice endpointSlice(int s, List<String> addresses) {
        EndpointSliceBuilder slice = new EndpointSliceBuilder()
                .withNewMetadata().withName(shape.serviceName(s) + "-slice").withNamespace(shape.serviceNamespace(s))
                .withLabels(Map.of("kubernetes.io/service-name", shape.serviceName(s))).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(MeshShape.PORT_NAME).withPort(MeshShape.PORT).withProtocol("TCP").endPort();
        for (int e = 0; e < addresses.size(); e++) {
            slice.addToEndpoints(new EndpointBuilder()
                    .withAddresses(addresses.get(e))
                    .withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(shape.podName(s, e))
                    .withNamespace(shape.serviceNamespace(s)).endTargetRef()
                    .build());
        }
        return slice.build();
    }

    public List<String> podIps(int s) {
        List<String> out = new ArrayList<>();
        for (int e = 0; e < shape.endpoints(); e++) {
            out.add(shape.podIp(s, e));
        }
        return out;
    }

    /** The name of the first HTTP route of a VirtualService at {@code revision}: the marker of an edit. */
    public static String routeMarker(int revision) {
        return String.format("bench-rev-%06d", revision);
    }

    /**
     * A VirtualService spec: header {@code x-bench-canary: true} to subset v2, else 90/10 to v1/v2. Its
     * first route is named after the revision, so each edit changes the route config every client of the
     * service holds.
     */
    public Map<String, Object> virtualServiceSpec(int s, int revision) {
        String host = shape.host(s);
        Map<String, Object> canary = new LinkedHashMap<>();
        canary.put("name", routeMarker(revision));
        canary.put("match", List.of(Map.of("headers", Map.of("x-bench-canary", Map.of("exact", "true")))));
        canary.put("route", List.of(Map.of("destination", destination(host, "v2"))));
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("name", "split");
        split.put("route", List.of(
                Map.of("destination", destination(host, "v1"), "weight", 90),
                Map.of("destination", destination(host, "v2"), "weight", 10)));
        split.put("timeout", "5s");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("hosts", List.of(host));
        spec.put("http", List.of(canary, split));
        return spec;
    }

    private static Map<String, Object> destination(String host, String subset) {
        return Map.of("host", host, "subset", subset, "port", Map.of("number", MeshShape.PORT));
    }

    /** A DestinationRule spec: round robin, subsets v1, v2, v3 by the {@code version} label. */
    public Map<String, Object> destinationRuleSpec(int s) {
        List<Map<String, Object>> subsets = new ArrayList<>();
        for (String subset : MeshShape.SUBSETS) {
            subsets.add(Map.of("name", subset, "labels", Map.of("version", subset)));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("host", shape.host(s));
        spec.put("trafficPolicy", Map.of("loadBalancer", Map.of("simple", "ROUND_ROBIN")));
        spec.put("subsets", subsets);
        return spec;
    }

    /** A namespace-wide Sidecar (no workload selector) whose proxies reach only their own namespace. */
    public GenericKubernetesResource namespaceSidecar(String namespace) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(ISTIO_API_VERSION);
        resource.setKind(SIDECAR_KIND);
        resource.setMetadata(new ObjectMetaBuilder().withName(SIDECAR_NAME).withNamespace(namespace).build());
        resource.setAdditionalProperty("spec", Map.of("egress", List.of(Map.of("hosts", List.of("./*")))));
        return resource;
    }

    public GenericKubernetesResource virtualService(int s, int revision) {
        return istioObject(VIRTUAL_SERVICE_KIND, s, virtualServiceSpec(s, revision));
    }

    public GenericKubernetesResource destinationRule(int s) {
        return istioObject(DESTINATION_RULE_KIND, s, destinationRuleSpec(s));
    }

    private GenericKubernetesResource istioObject(String kind, int s, Map<String, Object> spec) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(ISTIO_API_VERSION);
        resource.setKind(kind);
        resource.setMetadata(new ObjectMetaBuilder().withName(shape.serviceName(s))
                .withNamespace(shape.serviceNamespace(s)).build());
        resource.setAdditionalProperty("spec", spec);
        return resource;
    }
}
