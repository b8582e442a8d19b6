package dev.mizzen.pilot.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.ResponseQueue;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental updates as Envoy takes them: over delta ADS only what changed is sent and what went away is
 * named; over state-of-the-world ADS an endpoint push carries only the endpoint sets that changed.
 */
class DeltaAdsTest {
    private static final String REVIEWS_EDS = "outbound|9080||reviews.default.svc.cluster.local";
    private static final String RATINGS_EDS = "outbound|9080||ratings.default.svc.cluster.local";

    private AdsServer ads;
    private Server server;
    private ManagedChannel channel;
    private final ResponseQueue<DeltaDiscoveryResponse> responses = new ResponseQueue<>();
    private StreamObserver<DeltaDiscoveryRequest> requests;

    @BeforeEach
    void start() throws Exception {
        ads = new AdsServer(p -> Optional.of(new EnvoyGenerator()), Executors.newFixedThreadPool(2), new SimpleMeterRegistry(),
                XdsAccess.PLAINTEXT);
        ads.initialize(snapshot(BookinfoRegistry.snapshot()));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(ads).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(responses);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private static PushContext snapshot(RegistrySnapshot registry) {
        return PushContext.build(1, MeshSettings.DEFAULT, registry, new MemoryConfigStore(List.of()).snapshot());
    }

    private static DeltaDiscoveryRequest.Builder request(String type) {
        return DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setNode(Node.newBuilder()
                .setId("sidecar~10.1.0.1~productpage-v1-abc.default~default.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
                        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("app", Value.newBuilder().setStringValue("productpage").build())).build())));
    }

    private DeltaDiscoveryResponse next() throws InterruptedException {
        return responses.next();
    }

    private void ack(DeltaDiscoveryResponse r) {
        requests.onNext(request(r.getTypeUrl()).setResponseNonce(r.getNonce()).build());
    }

    @Test
    void wildcardClustersThenEndpointsByNameAndOnlyChangesAfterwards() throws Exception {
        requests.onNext(request(TypeUrls.CLUSTER).build());
        DeltaDiscoveryResponse clusters = next();
        assertThat(clusters.getResourcesList()).extracting(r -> r.getName()).contains(REVIEWS_EDS, "BlackHoleCluster");
        ack(clusters);

        requests.onNext(request(TypeUrls.ENDPOINT).addResourceNamesSubscribe(REVIEWS_EDS).build());
        DeltaDiscoveryResponse endpoints = next();
        assertThat(endpoints.getResourcesList()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo(REVIEWS_EDS));
        ack(endpoints);

        // a full push with the same content sends nothing
        ads.push(snapshot(BookinfoRegistry.snapshot()), PushRequest.full("test"));
        assertThat(responses.poll(200)).isNull();

        // one reviews endpoint goes away: only reviews' endpoints are sent
        RegistrySnapshot fewer = withoutEndpoint(BookinfoRegistry.snapshot(), "reviews.default.svc.cluster.local", "10.1.0.4");
        ads.push(snapshot(fewer), PushRequest.endpoints("reviews.default.svc.cluster.local"));
        DeltaDiscoveryResponse update = next();
        assertThat(update.getTypeUrl()).isEqualTo(TypeUrls.ENDPOINT);
        assertThat(update.getResourcesList()).singleElement().satisfies(r -> assertThat(
                r.getResource().unpack(ClusterLoadAssignment.class).getEndpoints(0).getLbEndpointsCount()).isEqualTo(2));
        ack(update);
        // everything sent was acknowledged (the test subscribed to one endpoint set only, so it is not "in sync")
        assertThat(ads.status()).singleElement().satisfies(s -> assertThat(s.acked()).isEqualTo(s.sent()));
    }

    @Test
    void aServiceThatGoesAwayIsNamedAsRemoved() throws Exception {
        requests.onNext(request(TypeUrls.CLUSTER).build());
        ack(next());
        Map<String, dev.mizzen.pilot.model.Service> services = new HashMap<>(BookinfoRegistry.snapshot().services());
        services.remove("ratings.default.svc.cluster.local");
        ads.push(snapshot(new RegistrySnapshot(services, BookinfoRegistry.snapshot().endpoints(), Map.of())),
                PushRequest.service("ratings.default.svc.cluster.local"));
        DeltaDiscoveryResponse update = next();
        assertThat(update.getResourcesCount()).isZero();
        assertThat(update.getRemovedResourcesList()).containsExactly("outbound|9080||ratings.default.svc.cluster.local");
    }

    @Test
    void aReconnectingProxyIsNotSentWhatItAlreadyHas() throws Exception {
        requests.onNext(request(TypeUrls.CLUSTER).build());
        DeltaDiscoveryResponse clusters = next();
        Map<String, String> held = new HashMap<>();
        clusters.getResourcesList().forEach(r -> held.put(r.getName(), r.getVersion()));
        held.remove(REVIEWS_EDS);

        stop();
        start();
        requests.onNext(request(TypeUrls.CLUSTER).putAllInitialResourceVersions(held).build());
        DeltaDiscoveryResponse again = next();
        assertThat(again.getResourcesList()).extracting(r -> r.getName()).containsExactly(REVIEWS_EDS);
    }

    @Test
    void anEndpointPushOverStateOfTheWorldCarriesOnlyTheChangedSets() throws Exception {
        ResponseQueue<DiscoveryResponse> sotw = new ResponseQueue<>();
        StreamObserver<DiscoveryRequest> stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(sotw);
        Node node = request(TypeUrls.ENDPOINT).getNode();
        List<String> names = List.of(REVIEWS_EDS, RATINGS_EDS);
        stream.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names).build());
        DiscoveryResponse all = sotw.next();
        assertThat(all.getResourcesCount()).isEqualTo(2);
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names)
                .setVersionInfo(all.getVersionInfo()).setResponseNonce(all.getNonce()).build());

        RegistrySnapshot fewer = withoutEndpoint(BookinfoRegistry.snapshot(), "reviews.default.svc.cluster.local", "10.1.0.4");
        ads.push(snapshot(fewer), PushRequest.endpoints("reviews.default.svc.cluster.local"));
        DiscoveryResponse update = sotw.next();
        assertThat(update.getVersionInfo()).isNotEqualTo(all.getVersionInfo());
        assertThat(update.getResourcesList()).singleElement().satisfies(r -> {
            ClusterLoadAssignment reviews = r.unpack(ClusterLoadAssignment.class);
            assertThat(reviews.getClusterName()).isEqualTo(REVIEWS_EDS);
            assertThat(reviews.getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);
        });
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names)
                .setVersionInfo(update.getVersionInfo()).setResponseNonce(update.getNonce()).build());
        // an ACK needs no answer, and the unchanged ratings set is never sent again
        assertThat(sotw.poll(200)).isNull();
        stream.onCompleted();
    }

    @Test
    void consecutiveEndpointPushesEachSendTheirSetAndAProxyThatAsksAfterwardsGetsAllCurrentSets() throws Exception {
        List<String> names = List.of(REVIEWS_EDS, RATINGS_EDS);
        ResponseQueue<DiscoveryResponse> first = new ResponseQueue<>();
        StreamObserver<DiscoveryRequest> stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(first);
        Node node = request(TypeUrls.ENDPOINT).getNode();
        stream.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names).build());
        DiscoveryResponse all = first.next();
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names)
                .setVersionInfo(all.getVersionInfo()).setResponseNonce(all.getNonce()).build());

        RegistrySnapshot fewerReviews = withoutEndpoint(BookinfoRegistry.snapshot(), "reviews.default.svc.cluster.local", "10.1.0.4");
        ads.push(snapshot(fewerReviews), PushRequest.endpoints("reviews.default.svc.cluster.local"));
        DiscoveryResponse reviews = first.next();
        assertThat(reviews.getResourcesList()).extracting(r -> r.unpack(ClusterLoadAssignment.class).getClusterName())
                .containsExactly(REVIEWS_EDS);
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names)
                .setVersionInfo(reviews.getVersionInfo()).setResponseNonce(reviews.getNonce()).build());

        RegistrySnapshot noRatings = withoutEndpoint(fewerReviews, "ratings.default.svc.cluster.local", "10.1.0.6");
        ads.push(snapshot(noRatings), PushRequest.endpoints("ratings.default.svc.cluster.local"));
        DiscoveryResponse ratings = first.next();
        assertThat(ratings.getResourcesList()).extracting(r -> r.unpack(ClusterLoadAssignment.class).getClusterName())
                .containsExactly(RATINGS_EDS);

        // a proxy that asks now is answered from this push's response: both sets as they are now
        ResponseQueue<DiscoveryResponse> second = new ResponseQueue<>();
        StreamObserver<DiscoveryRequest> late = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(second);
        late.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(TypeUrls.ENDPOINT).addAllResourceNames(names).build());
        DiscoveryResponse now = second.next();
        Map<String, Integer> endpointsByCluster = new HashMap<>();
        for (var r : now.getResourcesList()) {
            ClusterLoadAssignment cla = r.unpack(ClusterLoadAssignment.class);
            endpointsByCluster.put(cla.getClusterName(), cla.getEndpointsList().stream().mapToInt(e -> e.getLbEndpointsCount()).sum());
        }
        assertThat(endpointsByCluster).containsExactlyInAnyOrderEntriesOf(Map.of(REVIEWS_EDS, 2, RATINGS_EDS, 0));
        assertThat(now.getVersionInfo()).isEqualTo(ratings.getVersionInfo());
        stream.onCompleted();
        late.onCompleted();
    }

    @Test
    void aVirtualServiceEditSendsRoutesOnlyAndADestinationRuleAfterItStillChangesClusters() throws Exception {
        ResponseQueue<DiscoveryResponse> sotw = new ResponseQueue<>();
        StreamObserver<DiscoveryRequest> stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(sotw);
        Node node = request(TypeUrls.CLUSTER).getNode();
        stream.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(TypeUrls.CLUSTER).build());
        DiscoveryResponse clusters = sotw.next();
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.CLUSTER)
                .setVersionInfo(clusters.getVersionInfo()).setResponseNonce(clusters.getNonce()).build());
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ROUTE).addResourceNames("9080").build());
        DiscoveryResponse routes = sotw.next();
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ROUTE).addResourceNames("9080")
                .setVersionInfo(routes.getVersionInfo()).setResponseNonce(routes.getNonce()).build());

        var virtualService = IstioConfigs.load("default", "istio/bookinfo/networking/virtual-service-reviews-v3.yaml");
        ads.push(context(virtualService), PushRequest.config(ConfigKey.of(ConfigKind.VIRTUAL_SERVICE, "default", "reviews")));
        DiscoveryResponse newRoutes = sotw.next();
        assertThat(newRoutes.getTypeUrl()).isEqualTo(TypeUrls.ROUTE);
        stream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.ROUTE).addResourceNames("9080")
                .setVersionInfo(newRoutes.getVersionInfo()).setResponseNonce(newRoutes.getNonce()).build());
        assertThat(sotw.poll(200)).as("clusters do not read VirtualServices").isNull();

        List<dev.mizzen.api.config.Config<?>> withRule = new ArrayList<>(virtualService);
        withRule.addAll(IstioConfigs.load("default", "istio/bookinfo/networking/destination-rule-reviews.yaml"));
        ads.push(context(withRule), PushRequest.config(ConfigKey.of(ConfigKind.DESTINATION_RULE, "default", "reviews")));
        DiscoveryResponse newClusters = sotw.next();
        assertThat(newClusters.getTypeUrl()).isEqualTo(TypeUrls.CLUSTER);
        assertThat(newClusters.getResourcesList()).extracting(r -> r.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName())
                .contains("outbound|9080|v3|reviews.default.svc.cluster.local");
        stream.onCompleted();
    }

    private static PushContext context(List<dev.mizzen.api.config.Config<?>> configs) {
        return PushContext.build(2, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(), new MemoryConfigStore(configs).snapshot());
    }

    private static RegistrySnapshot withoutEndpoint(RegistrySnapshot registry, String host, String address) {
        Map<String, List<Endpoint>> endpoints = new HashMap<>(registry.endpoints());
        List<Endpoint> kept = new ArrayList<>(endpoints.get(host));
        kept.removeIf(e -> e.address().equals(address));
        endpoints.put(host, kept);
        return new RegistrySnapshot(registry.services(), endpoints, Map.of());
    }
}
