package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.Message;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.networking.pgv.PgvReport;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.testing.simulation.Request;
import dev.mizzen.pilot.testing.simulation.Result;
import dev.mizzen.pilot.testing.simulation.Simulation;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.XdsResource;
import dev.mizzen.pilot.networking.grpcgen.GrpcGenerator;
import dev.mizzen.pilot.xds.TypeUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's simulation tests, for Bookinfo: requests from productpage's sidecar and to the ingress gateway,
 * evaluated over the config Mizzen generates for each of Istio's Bookinfo samples. Every generated resource
 * also satisfies the validation rules declared in Envoy's protos.
 */
class BookinfoSimulationTest {
    private static final String REVIEWS_VIP = "10.96.0.12";
    private static final String RATINGS_VIP = "10.96.0.13";
    private static final String DETAILS_VIP = "10.96.0.11";
    private static final String REVIEWS = "outbound|9080|%s|reviews.default.svc.cluster.local";
    private static final String RATINGS = "outbound|9080|%s|ratings.default.svc.cluster.local";
    private static final String DETAILS = "outbound|9080|%s|details.default.svc.cluster.local";

    private static Simulation sidecar(String... samples) {
        return simulation(EnvoyGeneratorTest.PRODUCTPAGE, samples);
    }

    private static Simulation simulation(Proxy proxy, String... samples) {
        List<String> all = new ArrayList<>();
        all.add("destination-rule-all");
        all.addAll(List.of(samples));
        EnvoyConfig config = EnvoyConfig.of(proxy, EnvoyGeneratorTest.push(all.toArray(String[]::new)));
        Simulation sim = Simulation.of(unpacked(config));
        assertThat(sim.configErrors()).as("config Envoy would refuse").isEmpty();
        return sim;
    }

    private static List<Message> unpacked(EnvoyConfig config) {
        List<Message> out = new ArrayList<>();
        for (List<XdsResource> list : List.of(config.clusters(), config.listeners(), config.routes(), config.endpoints())) {
            list.forEach(r -> out.add(r.body()));
        }
        return out;
    }

    private static Result call(Simulation sim, String vip, String host, Map<String, String> headers) {
        Request request = Request.http(vip, 9080).withAuthority(host + ":9080").withPath("/");
        for (var h : headers.entrySet()) {
            request = request.withHeader(h.getKey(), h.getValue());
        }
        Result result = sim.call(request);
        assertThat(result.ok()).as(result.describe()).isTrue();
        return result;
    }

    @Test
    void withoutVirtualServicesReviewsGoesToItsServiceClusterWithIstiosDefaults() {
        Result r = call(sidecar(), REVIEWS_VIP, "reviews", Map.of());
        assertThat(r.cluster()).isEqualTo(REVIEWS.formatted(""));
        assertThat(r.listenerName()).isEqualTo("0.0.0.0_9080");
        assertThat(r.virtualHost()).isEqualTo("reviews.default.svc.cluster.local:9080");
        assertThat(r.retry().numRetries()).isEqualTo(2);
        assertThat(r.timeout()).isEqualTo("0s");
    }

    @Test
    void allV1SendsEveryServiceToV1() {
        Simulation sim = sidecar("virtual-service-all-v1");
        assertThat(call(sim, REVIEWS_VIP, "reviews", Map.of()).cluster()).isEqualTo(REVIEWS.formatted("v1"));
        assertThat(call(sim, RATINGS_VIP, "ratings", Map.of()).cluster()).isEqualTo(RATINGS.formatted("v1"));
        assertThat(call(sim, DETAILS_VIP, "details.default.svc.cluster.local", Map.of()).cluster()).isEqualTo(DETAILS.formatted("v1"));
    }

    @Test
    void weightedSamplesSplitAsWritten() {
        assertThat(call(sidecar("virtual-service-reviews-80-20"), REVIEWS_VIP, "reviews", Map.of()).clusters())
                .isEqualTo(Map.of(REVIEWS.formatted("v1"), 80, REVIEWS.formatted("v2"), 20));
        assertThat(call(sidecar("virtual-service-reviews-90-10"), REVIEWS_VIP, "reviews", Map.of()).clusters())
                .isEqualTo(Map.of(REVIEWS.formatted("v1"), 90, REVIEWS.formatted("v2"), 10));
        assertThat(call(sidecar("virtual-service-reviews-50-v3"), REVIEWS_VIP, "reviews", Map.of()).clusters())
                .isEqualTo(Map.of(REVIEWS.formatted("v1"), 50, REVIEWS.formatted("v3"), 50));
        assertThat(call(sidecar("virtual-service-reviews-v2-v3"), REVIEWS_VIP, "reviews", Map.of()).clusters())
                .isEqualTo(Map.of(REVIEWS.formatted("v2"), 50, REVIEWS.formatted("v3"), 50));
    }

    @Test
    void jasonGoesToV2AndEveryoneElseElsewhere() {
        Simulation sim = sidecar("virtual-service-reviews-jason-v2-v3");
        assertThat(call(sim, REVIEWS_VIP, "reviews", Map.of("end-user", "jason")).cluster()).isEqualTo(REVIEWS.formatted("v2"));
        assertThat(call(sim, REVIEWS_VIP, "reviews", Map.of("end-user", "bob")).cluster()).isEqualTo(REVIEWS.formatted("v3"));
        Simulation test = sidecar("virtual-service-reviews-test-v2");
        assertThat(call(test, REVIEWS_VIP, "reviews", Map.of("end-user", "jason")).cluster()).isEqualTo(REVIEWS.formatted("v2"));
        assertThat(call(test, REVIEWS_VIP, "reviews", Map.of()).cluster()).isEqualTo(REVIEWS.formatted("v1"));
        assertThat(call(sidecar("virtual-service-reviews-v3"), REVIEWS_VIP, "reviews", Map.of("end-user", "jason")).cluster())
                .isEqualTo(REVIEWS.formatted("v3"));
    }

    @Test
    void faultSamplesDelayOrAbortJasonsCallsToRatings() {
        Result delayed = call(sidecar("virtual-service-ratings-test-delay"), RATINGS_VIP, "ratings", Map.of("end-user", "jason"));
        assertThat(delayed.cluster()).isEqualTo(RATINGS.formatted("v1"));
        assertThat(delayed.fault().delay()).isEqualTo("7s");
        assertThat(delayed.fault().delayPercent()).isEqualTo(100.0);
        assertThat(call(sidecar("virtual-service-ratings-test-delay"), RATINGS_VIP, "ratings", Map.of()).fault()).isNull();

        Result aborted = call(sidecar("virtual-service-ratings-test-abort"), RATINGS_VIP, "ratings", Map.of("end-user", "jason"));
        assertThat(aborted.fault().abortStatus()).isEqualTo(500);
        assertThat(aborted.fault().abortPercent()).isEqualTo(100.0);

        Result details = call(sidecar("fault-injection-details-v1"), DETAILS_VIP, "details", Map.of());
        assertThat(details.fault().abortStatus()).isEqualTo(555);
        assertThat(details.cluster()).isEqualTo(DETAILS.formatted("v1"));
    }

    @Test
    void aSubsetWithoutPodsHasNoEndpointsAndOneNoRuleDefinesHasNoCluster() {
        // destination-rule-all defines details v2, but Bookinfo runs only details v1
        Result v2 = call(sidecar("virtual-service-details-v2"), DETAILS_VIP, "details", Map.of());
        assertThat(v2.cluster()).isEqualTo(DETAILS.formatted("v2"));
        assertThat(v2.clusterInfo().endpoints()).isEmpty();

        EnvoyConfig config = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, EnvoyGeneratorTest.push("virtual-service-details-v2"));
        Result undefined = Simulation.of(unpacked(config))
                .call(Request.http(DETAILS_VIP, 9080).withAuthority("details:9080").withPath("/"));
        assertThat(undefined.failureKind()).hasToString("CLUSTER_NOT_FOUND");
        assertThat(undefined.describe()).contains(DETAILS.formatted("v2"));
    }

    @Test
    void theGatewayRoutesBookinfosPathsToProductpage() {
        Simulation sim = simulation(EnvoyGeneratorTest.GATEWAY, "bookinfo-gateway");
        for (String path : List.of("/productpage", "/static/css/style.css", "/login", "/logout", "/api/v1/products/1")) {
            Result r = sim.call(Request.http("10.1.9.1", 8080).withMode(dev.mizzen.pilot.testing.simulation.CallMode.GATEWAY)
                    .withAuthority("bookinfo.example.com").withPath(path));
            assertThat(r.cluster()).as(r.describe()).isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
        }
        Result other = sim.call(Request.http("10.1.9.1", 8080).withMode(dev.mizzen.pilot.testing.simulation.CallMode.GATEWAY)
                .withAuthority("bookinfo.example.com").withPath("/admin"));
        assertThat(other.failureKind()).hasToString("NO_ROUTE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual-service-all-v1", "virtual-service-reviews-80-20", "virtual-service-reviews-jason-v2-v3",
            "virtual-service-ratings-test-delay", "virtual-service-ratings-test-abort", "fault-injection-details-v1",
            "virtual-service-details-v2", "bookinfo-gateway", "destination-rule-all-mtls", "egress-rule-google-apis",
            "certmanager-gateway", "virtual-service-reviews-v2-v3"})
    void everyGeneratedResourceSatisfiesEnvoysProtoValidation(String sample) {
        PushSnapshot push = EnvoyGeneratorTest.push("destination-rule-all", sample);
        List<Message> resources = new ArrayList<>();
        for (Proxy proxy : List.of(EnvoyGeneratorTest.PRODUCTPAGE, EnvoyGeneratorTest.GATEWAY)) {
            resources.addAll(unpacked(EnvoyConfig.of(proxy, push)));
        }
        GrpcGenerator grpc = new GrpcGenerator();
        Proxy client = Proxies.grpc("productpage-v1-abc", "default", Map.of("app", "productpage"));
        grpc.generate(client, push, TypeUrls.LISTENER, Set.of("reviews:9080", "ratings:9080", "details:9080"))
                .forEach(r -> resources.add(r.body()));
        grpc.generate(client, push, TypeUrls.ROUTE, Set.of("outbound|9080||reviews.default.svc.cluster.local"))
                .forEach(r -> resources.add(r.body()));
        PgvReport report = PgvValidator.forEnvoy().validateAll(resources.stream()
                .map(BookinfoSimulationTest::unpack).toList());
        report.assertValid();
        assertThat(report.uncheckedRules()).isEmpty();
    }

    private static Message unpack(Message packed) {
        com.google.protobuf.Any any = (com.google.protobuf.Any) packed;
        try {
            for (Class<? extends Message> type : List.of(io.envoyproxy.envoy.config.listener.v3.Listener.class,
                    io.envoyproxy.envoy.config.cluster.v3.Cluster.class,
                    io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class,
                    io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class)) {
                if (any.is(type)) {
                    return any.unpack(type);
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("unexpected resource " + any.getTypeUrl());
    }
}
