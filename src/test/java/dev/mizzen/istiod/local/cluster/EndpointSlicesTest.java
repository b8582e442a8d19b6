package dev.mizzen.istiod.local.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes' EndpointSlice controller rules, as {@link EndpointSlices#desired} applies them. */
class EndpointSlicesTest {
    @Test
    void selectedPodsWithAnAddressAreEndpointsWithKubernetesConditions() {
        Service svc = service("web", new IntOrString(8080), false);
        List<EndpointSlice> slices = EndpointSlices.desired(svc, List.of(
                pod("web-1", Map.of("app", "web"), "127.1.0.1", true, false),
                pod("web-2", Map.of("app", "web"), "127.1.0.2", false, false),
                pod("web-3", Map.of("app", "web"), "127.1.0.3", true, true),
                pod("web-4", Map.of("app", "web"), null, true, false),
                pod("other", Map.of("app", "other"), "127.1.0.9", true, false)));

        assertThat(slices).hasSize(1);
        EndpointSlice slice = slices.get(0);
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("Service"));
        assertThat(slice.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(slice.getEndpoints()).extracting(e -> e.getTargetRef().getName()).containsExactly("web-1", "web-2", "web-3");
        assertThat(conditions(slice.getEndpoints().get(0))).containsExactly(true, true, false);   // ready pod
        assertThat(conditions(slice.getEndpoints().get(1))).containsExactly(false, false, false); // not ready
        assertThat(conditions(slice.getEndpoints().get(2))).containsExactly(false, true, true);   // terminating
    }

    @Test
    void publishNotReadyAddressesMakesEveryEndpointReady() {
        List<EndpointSlice> slices = EndpointSlices.desired(service("web", new IntOrString(8080), true), List.of(
                pod("web-1", Map.of("app", "web"), "127.1.0.1", false, false)));
        assertThat(conditions(slices.get(0).getEndpoints().get(0))).containsExactly(true, false, false);
    }

    @Test
    void aNamedTargetPortIsThePodsContainerPortAndPodsWithoutItGoElsewhere() {
        Service svc = service("web", new IntOrString("http-web"), false);
        Pod named = pod("web-1", Map.of("app", "web"), "127.1.0.1", true, false);
        named.getSpec().getContainers().get(0).getPorts().get(0).setName("http-web");
        Pod unnamed = pod("web-2", Map.of("app", "web"), "127.1.0.2", true, false);

        List<EndpointSlice> slices = EndpointSlices.desired(svc, List.of(named, unnamed));

        assertThat(slices).hasSize(2);
        assertThat(slices).anySatisfy(s -> {
            assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(9999));
            assertThat(s.getEndpoints()).extracting(e -> e.getTargetRef().getName()).containsExactly("web-1");
        });
        assertThat(slices).anySatisfy(s -> {
            assertThat(s.getPorts()).isEmpty();
            assertThat(s.getEndpoints()).extracting(e -> e.getTargetRef().getName()).containsExactly("web-2");
        });
    }

    @Test
    void noSelectorNoSlicesAndNoPodsAPlaceholder() {
        Service external = new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("default").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
        assertThat(EndpointSlices.desired(external, List.of())).isEmpty();
        List<EndpointSlice> placeholder = EndpointSlices.desired(service("web", new IntOrString(80), false), List.of());
        assertThat(placeholder).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
    }

    private static List<Boolean> conditions(Endpoint e) {
        return List.of(e.getConditions().getReady(), e.getConditions().getServing(), e.getConditions().getTerminating());
    }

    private static Service service(String name, IntOrString target, boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .endMetadata().withNewSpec().withSelector(Map.of("app", name)).withClusterIP("10.96.0.10")
                .withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("http").withPort(80).withTargetPort(target).withProtocol("TCP").endPort()
                .endSpec().build();
    }

    private static Pod pod(String name, Map<String, String> labels, String ip, boolean ready, boolean terminating) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withLabels(labels)
                .withDeletionTimestamp(terminating ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec().withNodeName("local").addNewContainer().withName("c")
                .addNewPort().withContainerPort(9999).withProtocol("TCP").endPort().endContainer().endSpec()
                .withNewStatus().withPodIP(ip).withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build();
    }
}
