package dev.mizzen.demo.e2e;

import dev.mizzen.demo.Workload;
import dev.mizzen.demo.testing.MeshFixture;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Endpoint changes reach the proxyless client: only ready endpoints of live pods get calls. */
class EndpointChangesTest {
    private static final String REVIEWS = "reviews:9080";

    private MeshFixture mesh;

    @BeforeEach
    void start() throws Exception {
        mesh = MeshFixture.start();
        await().atMost(MeshFixture.TIMEOUT).until(() ->
                mesh.tally(REVIEWS, Map.of(), 30).keySet().equals(Set.of("reviews v1", "reviews v2", "reviews v3")));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void aPodTurningNotReadyStopsGettingCalls() {
        mesh.kube().resource(mesh.bookinfo().endpointSlice("reviews", w -> !w.version().equals("v2")))
                .createOr(NonDeletingOperation::update);

        await().atMost(MeshFixture.TIMEOUT).until(() -> !mesh.tally(REVIEWS, Map.of(), 30).containsKey("reviews v2"));
        assertThat(mesh.tally(REVIEWS, Map.of(), 100)).containsOnlyKeys("reviews v1", "reviews v3");

        mesh.kube().resource(mesh.bookinfo().endpointSlice("reviews", w -> true)).createOr(NonDeletingOperation::update);
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 30).containsKey("reviews v2"));
    }

    @Test
    void aDeletedPodStopsGettingCalls() {
        Workload v1 = mesh.bookinfo().workloads().stream().filter(w -> w.podName().equals("reviews-v1")).findFirst().orElseThrow();
        mesh.kube().resource(mesh.bookinfo().pod(v1)).delete();
        // the EndpointSlice controller drops the deleted pod's address from the slice
        var slice = mesh.bookinfo().endpointSlice("reviews", w -> true);
        slice.getEndpoints().removeIf(e -> e.getTargetRef().getName().equals("reviews-v1"));
        mesh.kube().resource(slice).createOr(NonDeletingOperation::update);

        await().atMost(MeshFixture.TIMEOUT).until(() -> !mesh.tally(REVIEWS, Map.of(), 30).containsKey("reviews v1"));
        assertThat(mesh.tally(REVIEWS, Map.of(), 100)).containsOnlyKeys("reviews v2", "reviews v3");
    }

    @Test
    void subsetsFollowPodLabels() throws Exception {
        mesh.applySample("destination-rule-all");
        mesh.applySample("virtual-service-reviews-v3");
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 10).keySet().equals(Set.of("reviews v3")));

        // relabel the v1 pod as v3: subset v3 now has two endpoints
        Workload v1 = mesh.bookinfo().workloads().stream().filter(w -> w.podName().equals("reviews-v1")).findFirst().orElseThrow();
        var pod = mesh.bookinfo().pod(v1);
        pod.getMetadata().getLabels().put("version", "v3");
        mesh.kube().resource(pod).createOr(NonDeletingOperation::update);

        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 30).keySet()
                .equals(Set.of("reviews v1", "reviews v3")));
    }
}
