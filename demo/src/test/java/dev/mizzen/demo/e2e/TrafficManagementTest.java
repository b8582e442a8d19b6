package dev.mizzen.demo.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mizzen.galley.config.KubeConfigStore;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.demo.testing.MeshFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Istio's Bookinfo traffic-management samples steering a real proxyless gRPC client (grpc-java's xDS client)
 * through istiod. Every test ends by checking that the client NACKed nothing.
 */
class TrafficManagementTest {
    private static final String REVIEWS = "reviews:9080";
    private static final Map<String, String> JASON = Map.of("end-user", "jason");

    private MeshFixture mesh;

    @BeforeEach
    void start() throws Exception {
        mesh = MeshFixture.start();
        mesh.applySample("destination-rule-all");
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void eightyTwentySplitsReviewsTrafficBetweenV1AndV2() throws Exception {
        mesh.applySample("virtual-service-reviews-80-20");
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 20).containsKey("reviews v2"));

        Map<String, Integer> tally = mesh.tally(REVIEWS, Map.of(), 2000);

        assertThat(tally).containsOnlyKeys("reviews v1", "reviews v2");
        assertThat(tally.get("reviews v1") / 2000.0).isBetween(0.76, 0.84);
        assertThat(tally.get("reviews v2") / 2000.0).isBetween(0.16, 0.24);
    }

    @Test
    void jasonReachesV2AndEveryoneElseV3() throws Exception {
        mesh.applySample("virtual-service-reviews-jason-v2-v3");
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 10).keySet().equals(java.util.Set.of("reviews v3")));

        assertThat(mesh.tally(REVIEWS, JASON, 200)).containsExactly(Map.entry("reviews v2", 200));
        assertThat(mesh.tally(REVIEWS, Map.of("end-user", "someone-else"), 200)).containsExactly(Map.entry("reviews v3", 200));
        assertThat(mesh.tally(REVIEWS, Map.of(), 200)).containsExactly(Map.entry("reviews v3", 200));
    }

    @Test
    void aNewVirtualServiceMovesTrafficWithoutRestartingTheClient() throws Exception {
        mesh.applySample("virtual-service-all-v1");
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 10).keySet().equals(java.util.Set.of("reviews v1")));

        mesh.applySample("virtual-service-reviews-v3");

        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 10).keySet().equals(java.util.Set.of("reviews v3")));
        assertThat(mesh.tally(REVIEWS, Map.of(), 100)).containsExactly(Map.entry("reviews v3", 100));
        assertThat(mesh.tally("ratings:9080", Map.of(), 10)).containsExactly(Map.entry("ratings v1", 10));
    }

    @Test
    void aShortHostResolvesInTheVirtualServicesNamespace() throws Exception {
        // the VirtualService lives in default and says "reviews": it means reviews.default, also for a client
        // in another namespace that calls reviews.default
        mesh.applySample("virtual-service-reviews-v3");
        try (ProxylessClient elsewhere = ProxylessClient.isolated(MeshFixture.bootstrap(mesh.istiod(), "other-client", "other"))) {
            await().atMost(MeshFixture.TIMEOUT).until(() ->
                    elsewhere.tally("reviews.default:9080", Map.of(), 10).keySet().equals(java.util.Set.of("reviews v3")));
            assertThat(elsewhere.tally("reviews.default.svc.cluster.local:9080", Map.of(), 20))
                    .containsExactly(Map.entry("reviews v3", 20));
        }
    }

    @Test
    void anInvalidVirtualServiceIsSkippedAndTheLastGoodOneKeepsServing() throws Exception {
        mesh.applySample("virtual-service-reviews-jason-v2-v3");
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, JASON, 10).keySet().equals(java.util.Set.of("reviews v2")));
        ListAppender<ILoggingEvent> log = capture(KubeConfigStore.class);

        mesh.applyOnly(reviewsWeights(-10, 110));
        mesh.applyOnly(reviewsWeights(0, 0));
        await().atMost(MeshFixture.TIMEOUT).until(() -> log.list.size() >= 2);

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                .contains("VirtualService/default/reviews").contains("spec.http[0].route[0].weight").contains("negative"));
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                .contains("VirtualService/default/reviews").contains("add up to 0"));
        assertThat(mesh.tally(REVIEWS, JASON, 50)).containsExactly(Map.entry("reviews v2", 50));
        assertThat(mesh.tally(REVIEWS, Map.of(), 50)).containsExactly(Map.entry("reviews v3", 50));
    }

    @Test
    void aRouteToAnUnknownSubsetFailsThereAndEverythingElseKeepsWorking() throws Exception {
        mesh.apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews, subset: v9}}]
                  - route: [{destination: {host: reviews, subset: v1}}]
                """);
        await().atMost(MeshFixture.TIMEOUT).until(() -> mesh.tally(REVIEWS, Map.of(), 10).keySet().equals(java.util.Set.of("reviews v1")));

        assertThat(mesh.tally(REVIEWS, JASON, 5)).containsOnlyKeys("error:UNAVAILABLE");
        assertThat(mesh.tally("details:9080", Map.of(), 5)).containsExactly(Map.entry("details v1", 5));
    }

    private static String reviewsWeights(int v1, int v2) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: %d
                    - destination: {host: reviews, subset: v2}
                      weight: %d
                """.formatted(v1, v2);
    }

    static ListAppender<ILoggingEvent> capture(Class<?> source) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
        return appender;
    }
}
