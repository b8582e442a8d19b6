package dev.mizzen.galley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.api.networking.VirtualService;
import dev.mizzen.galley.validation.IstioValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store applies the same rules as the webhook: an object that fails them (the webhook was down, or its
 * failurePolicy was Ignore) is skipped with a counter, and the last good version of it keeps serving.
 */
class KubeConfigStoreValidationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubeConfigStore store;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private KubeInformers informers;

    @BeforeEach
    void start() {
        List<CustomResourceDefinitionContext> crds = ConfigKind.all().stream().map(KubeConfigStore::crdContext).toList();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(crds), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        crds.forEach(server::expectCustomResource);
        client = server.createClient();
        informers = new KubeInformers(client);
        store = new KubeConfigStore(informers, new IstioValidator(), meters);
        store.addListener(events::add);
        informers.start();
        await().atMost(WAIT).until(store::hasSynced);
    }

    @AfterEach
    void stop() {
        store.close();
        informers.close();
        client.close();
        server.destroy();
    }

    @Test
    void anInvalidUpdateIsSkippedAndTheLastGoodVersionKeepsServing() {
        apply(reviews(80, 20));
        await().atMost(WAIT).until(() -> weights().equals(List.of(80, 20)));

        apply(reviews(-10, 110));

        await().atMost(WAIT).until(() -> failures() == 1.0);
        assertThat(weights()).as("last good version").containsExactly(80, 20);
        assertThat(events).extracting(ChangeEvent::type).containsExactly(ChangeEvent.Type.ADDED);

        apply(reviews(50, 50));
        await().atMost(WAIT).until(() -> weights().equals(List.of(50, 50)));
        assertThat(failures()).isEqualTo(1.0);
        assertThat(events).extracting(ChangeEvent::type).containsExactly(ChangeEvent.Type.ADDED, ChangeEvent.Type.UPDATED);
    }

    @Test
    void aNewInvalidObjectIsNeverServed() {
        apply(reviews(0, 0));
        apply(resource("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings, namespace: default}
                spec: {hosts: [ratings], http: [{route: [{destination: {host: ratings}}]}]}
                """));

        await().atMost(WAIT).until(() -> store.snapshot().list(ConfigKind.VIRTUAL_SERVICE).size() == 1);
        await().atMost(WAIT).until(() -> failures() == 1.0);
        assertThat(store.snapshot().list(ConfigKind.VIRTUAL_SERVICE)).extracting(Config::name).containsExactly("ratings");
    }

    private double failures() {
        Counter counter = meters.find("mizzen_config_invalid").tag("kind", "VirtualService").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<Integer> weights() {
        return store.snapshot().list(ConfigKind.VIRTUAL_SERVICE).stream()
                .filter(c -> c.name().equals("reviews"))
                .flatMap(c -> c.spec().http().get(0).route().stream())
                .map(d -> d.weight())
                .toList();
    }

    private GenericKubernetesResource reviews(int v1, int v2) {
        return resource("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - {destination: {host: reviews, subset: v1}, weight: %d}
                    - {destination: {host: reviews, subset: v2}, weight: %d}
                """.formatted(v1, v2));
    }

    private GenericKubernetesResource resource(String yaml) {
        return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    }

    private void apply(GenericKubernetesResource resource) {
        ResourceDefinitionContext ctx = KubeConfigStore.resourceContext(ConfigKind.VIRTUAL_SERVICE);
        client.genericKubernetesResources(ctx).inNamespace("default").resource(resource).createOr(r -> r.update());
    }
}
