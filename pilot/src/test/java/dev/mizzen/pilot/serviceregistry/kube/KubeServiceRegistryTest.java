package dev.mizzen.pilot.serviceregistry.kube;

import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.TargetPort;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.push.PushRequests;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry against fabric8's mock API server in CRUD mode: what informers deliver becomes the model. */
class KubeServiceRegistryTest {
    private static final String HOST = "reviews.default.svc.cluster.local";

    private KubernetesMockServer server;
    private KubernetesClient kube;
    private KubeServiceRegistry registry;
    private KubeInformers informers;
    private final List<PushRequest> pushes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        kube = server.createClient();
        informers = new KubeInformers(kube);
        registry = new KubeServiceRegistry(informers, "cluster.local");
        registry.addListener(event -> pushes.add(PushRequests.of(event)));
        informers.start();
        await().atMost(Duration.ofSeconds(10)).until(registry::hasSynced);
    }

    @AfterEach
    void stop() {
        // the mock server goes first: closing watches it is still writing to can stall its event loop for 10 s
        server.destroy();
        registry.close();
        informers.close();
        kube.close();
    }

    @Test
    void servicesWithNamedAndNumericTargetPortsAndTheirProtocols() {
        kube.resource(new ServiceBuilder().withNewMetadata().withName("reviews").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.7")
                .addNewPort().withName("http").withPort(9080).withTargetPort(new IntOrString("web")).endPort()
                .addNewPort().withName("grpc-admin").withPort(9090).withTargetPort(new IntOrString(19090)).endPort()
                .addNewPort().withName("metrics").withPort(9100).withAppProtocol("http2").endPort()
                .endSpec().build()).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> registry.snapshot().services().containsKey(HOST));
        Service service = registry.snapshot().services().get(HOST);
        assertThat(service.clusterIp()).isEqualTo("10.96.0.7");
        assertThat(service.port(9080).orElseThrow().targetPort()).isEqualTo(TargetPort.named("web"));
        assertThat(service.port(9080).orElseThrow().protocol()).isEqualTo(Protocol.HTTP);
        assertThat(service.port(9090).orElseThrow().targetPort()).isEqualTo(TargetPort.of(19090));
        assertThat(service.port(9090).orElseThrow().protocol()).isEqualTo(Protocol.GRPC);
        assertThat(service.port(9100).orElseThrow().protocol()).isEqualTo(Protocol.HTTP2);
        assertThat(pushes).anySatisfy(p -> assertThat(p.isFull()).isTrue());
    }

    @Test
    void endpointsCarryReadinessAndThePodsLabelsAndServiceAccount() {
        kube.resource(new PodBuilder().withNewMetadata().withName("reviews-v2").withNamespace("default")
                .withLabels(Map.of("app", "reviews", "version", "v2")).endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-reviews").endSpec().build()).create();
        // the slice arrives before its Service: its endpoints wait for it
        kube.resource(slice(true)).create();
        kube.resource(new ServiceBuilder().withNewMetadata().withName("reviews").withNamespace("default").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(9080).endPort().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(10)).until(() -> registry.snapshot().endpoints(HOST).size() == 1
                && !registry.snapshot().endpoints(HOST).get(0).labels().isEmpty());
        Endpoint endpoint = registry.snapshot().endpoints(HOST).get(0);
        assertThat(endpoint.address()).isEqualTo("10.1.0.4");
        assertThat(endpoint.ports()).containsEntry("http", 8080);
        assertThat(endpoint.labels()).containsEntry("version", "v2");
        assertThat(endpoint.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(endpoint.ready()).isTrue();
        assertThat(endpoint.locality().zone()).isEqualTo("zone-a");

        pushes.clear();
        kube.resource(slice(false)).createOr(NonDeletingOperation::update);
        await().atMost(Duration.ofSeconds(10)).until(() -> !registry.snapshot().endpoints(HOST).get(0).ready());
        assertThat(pushes).allSatisfy(p -> assertThat(p.scope()).isEqualTo(PushRequest.Scope.ENDPOINTS));

        kube.resource(slice(false)).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.snapshot().endpoints(HOST).isEmpty());
    }

    @Test
    void onceSyncedTheSnapshotHoldsEveryObjectThatExistedAtStart() {
        for (int i = 0; i < 200; i++) {
            kube.resource(new ServiceBuilder().withNewMetadata().withName("svc-" + i).withNamespace("default").endMetadata()
                    .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
        }
        try (KubeInformers own = new KubeInformers(kube);
             KubeServiceRegistry fresh = new KubeServiceRegistry(own, "cluster.local")) {
            own.start();
            await().atMost(Duration.ofSeconds(10)).until(fresh::hasSynced);
            // synced means the handlers saw the initial list, not just that the informers listed it
            assertThat(fresh.snapshot().services()).hasSize(200);
        }
    }

    private static io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice slice(boolean ready) {
        return new EndpointSliceBuilder().withNewMetadata().withName("reviews-abc").withNamespace("default")
                .withLabels(Map.of("kubernetes.io/service-name", "reviews")).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).endPort()
                .addNewEndpoint().withAddresses("10.1.0.4").withZone("zone-a")
                .withNewConditions().withReady(ready).endConditions()
                .withNewTargetRef().withKind("Pod").withName("reviews-v2").withNamespace("default").endTargetRef()
                .endEndpoint()
                .build();
    }
}
