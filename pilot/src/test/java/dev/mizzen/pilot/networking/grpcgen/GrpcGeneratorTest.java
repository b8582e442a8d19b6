package dev.mizzen.pilot.networking.grpcgen;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.testing.XdsJson;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The xDS a proxyless client in productpage's namespace gets for Bookinfo, following its subscriptions
 * (listeners -> routes -> clusters -> endpoints) as grpc-java does.
 */
class GrpcGeneratorTest {
    private static final String NETWORKING = "istio/bookinfo/networking/";
    private static final Proxy CLIENT = Proxies.grpc("productpage-v1-abc", "default", Map.of("app", "productpage", "version", "v1"));
    private static final List<String> LISTENERS = List.of("productpage:9080", "details:9080", "reviews:9080", "ratings:9080");

    private final GrpcGenerator generator = new GrpcGenerator();

    /** Everything the client ends up with, following references as the client does. */
    private record Subscribed(List<XdsResource> listeners, List<XdsResource> routes, List<XdsResource> clusters,
                              List<XdsResource> endpoints) {
        String json() {
            return "{\"listeners\": " + XdsJson.print(listeners) + ", \"routes\": " + XdsJson.print(routes)
                    + ", \"clusters\": " + XdsJson.print(clusters) + ", \"endpoints\": " + XdsJson.print(endpoints) + "}\n";
        }
    }

    private Subscribed subscribe(PushSnapshot push, Proxy proxy, List<String> listenerNames) throws InvalidProtocolBufferException {
        List<XdsResource> listeners = generator.generate(proxy, push, TypeUrls.LISTENER, Set.copyOf(listenerNames));
        Set<String> routeNames = new TreeSet<>();
        for (XdsResource l : listeners) {
            HttpConnectionManager hcm = l.body().unpack(Listener.class).getApiListener().getApiListener()
                    .unpack(HttpConnectionManager.class);
            routeNames.add(hcm.getRds().getRouteConfigName());
        }
        List<XdsResource> routes = generator.generate(proxy, push, TypeUrls.ROUTE, routeNames);
        Set<String> clusterNames = new TreeSet<>();
        for (XdsResource r : routes) {
            for (var vh : r.body().unpack(RouteConfiguration.class).getVirtualHostsList()) {
                for (Route route : vh.getRoutesList()) {
                    if (!route.getRoute().getCluster().isEmpty()) {
                        clusterNames.add(route.getRoute().getCluster());
                    }
                    route.getRoute().getWeightedClusters().getClustersList().forEach(c -> clusterNames.add(c.getName()));
                }
            }
        }
        List<XdsResource> clusters = generator.generate(proxy, push, TypeUrls.CLUSTER, clusterNames);
        Set<String> edsNames = new TreeSet<>();
        for (XdsResource c : clusters) {
            edsNames.add(c.body().unpack(Cluster.class).getEdsClusterConfig().getServiceName());
        }
        return new Subscribed(listeners, routes, clusters, generator.generate(proxy, push, TypeUrls.ENDPOINT, edsNames));
    }

    private static PushSnapshot push(String... samples) {
        List<String> resources = new ArrayList<>();
        for (String s : samples) {
            resources.add(NETWORKING + s + ".yaml");
        }
        List<Config<?>> configs = IstioConfigs.load("default", resources.toArray(String[]::new));
        return PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual-service-all-v1", "virtual-service-reviews-80-20", "virtual-service-reviews-jason-v2-v3",
            "virtual-service-reviews-v3", "virtual-service-reviews-test-v2", "virtual-service-ratings-test-delay",
            "virtual-service-ratings-test-abort", "virtual-service-reviews-50-v3", "virtual-service-reviews-90-10",
            "virtual-service-reviews-v2-v3", "virtual-service-details-v2", "fault-injection-details-v1"})
    void bookinfoSamplesMatchTheirGoldenFiles(String sample) throws Exception {
        Subscribed subscribed = subscribe(push("destination-rule-all", sample), CLIENT, LISTENERS);
        XdsJson.assertGolden("grpcgen/" + sample + ".golden.json", subscribed.json());
    }

    @Test
    void withoutConfigEveryServiceRoutesToItsOwnClusterAndGetsAllEndpoints() throws Exception {
        Subscribed subscribed = subscribe(push(), CLIENT, LISTENERS);
        XdsJson.assertGolden("grpcgen/defaults.golden.json", subscribed.json());
        assertThat(subscribed.clusters()).extracting(XdsResource::name).containsExactly(
                "outbound|9080||details.default.svc.cluster.local", "outbound|9080||productpage.default.svc.cluster.local",
                "outbound|9080||ratings.default.svc.cluster.local", "outbound|9080||reviews.default.svc.cluster.local");
        ClusterLoadAssignment reviews = subscribed.endpoints().stream()
                .filter(e -> e.name().contains("reviews")).findFirst().orElseThrow()
                .body().unpack(ClusterLoadAssignment.class);
        assertThat(reviews.getEndpoints(0).getLbEndpointsCount()).isEqualTo(3);
        assertThat(reviews.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(3);
    }

    @Test
    void jasonGoesToV2AndEveryoneElseToV3() throws Exception {
        Subscribed subscribed = subscribe(push("destination-rule-all", "virtual-service-reviews-jason-v2-v3"), CLIENT,
                List.of("reviews:9080"));
        List<Route> routes = subscribed.routes().get(0).body().unpack(RouteConfiguration.class).getVirtualHosts(0).getRoutesList();
        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).getMatch().getHeaders(0).getName()).isEqualTo("end-user");
        assertThat(routes.get(0).getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("jason");
        assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("outbound|9080|v2|reviews.default.svc.cluster.local");
        assertThat(routes.get(1).getMatch().getHeadersList()).isEmpty();
        assertThat(routes.get(1).getRoute().getCluster()).isEqualTo("outbound|9080|v3|reviews.default.svc.cluster.local");
        ClusterLoadAssignment v2 = subscribed.endpoints().stream().filter(e -> e.name().contains("|v2|"))
                .findFirst().orElseThrow().body().unpack(ClusterLoadAssignment.class);
        assertThat(v2.getEndpoints(0).getLbEndpointsList()).extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("10.1.0.4");
    }

    @Test
    void faultDelayIsAPerRouteFaultFilterConfig() throws Exception {
        Subscribed subscribed = subscribe(push("destination-rule-all", "virtual-service-ratings-test-delay"), CLIENT,
                List.of("ratings:9080"));
        Route jason = subscribed.routes().get(0).body().unpack(RouteConfiguration.class).getVirtualHosts(0).getRoutes(0);
        HTTPFault fault = jason.getTypedPerFilterConfigOrThrow("envoy.filters.http.fault").unpack(HTTPFault.class);
        assertThat(fault.getDelay().getFixedDelay().getSeconds()).isEqualTo(7);
        assertThat(fault.getDelay().getPercentage().getNumerator()).isEqualTo(1_000_000);
    }

    @Test
    void shortNamesAndQualifiedNamesResolveToTheSameService() {
        Proxy other = Proxies.grpc("client-1", "other", Map.of("app", "client"));
        PushSnapshot push = push();
        assertThat(generator.generate(other, push, TypeUrls.LISTENER, Set.of("reviews:9080"))).isEmpty();
        assertThat(generator.generate(other, push, TypeUrls.LISTENER,
                Set.of("reviews.default:9080", "reviews.default.svc:9080", "reviews.default.svc.cluster.local:9080")))
                .hasSize(3);
    }

    @Test
    void unknownHostsAndPortsGetNoListener() {
        PushSnapshot push = push("destination-rule-all");
        assertThat(generator.generate(CLIENT, push, TypeUrls.LISTENER, Set.of("nothing:9080", "reviews:1234"))).isEmpty();
    }

    @Test
    void aRouteToAnUnknownSubsetOrHostGetsAClusterWithoutEndpoints() throws Exception {
        PushSnapshot push = push("destination-rule-all");
        Set<String> names = Set.of("outbound|9080|v9|reviews.default.svc.cluster.local",
                "outbound|9080||nothing.default.svc.cluster.local");
        assertThat(generator.generate(CLIENT, push, TypeUrls.CLUSTER, names)).hasSize(2);
        for (XdsResource endpoints : generator.generate(CLIENT, push, TypeUrls.ENDPOINT, names)) {
            assertThat(endpoints.body().unpack(ClusterLoadAssignment.class).getEndpointsList()).isEmpty();
        }
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        List<XdsResource> first = generator.generate(CLIENT, push("destination-rule-all", "virtual-service-reviews-80-20"),
                TypeUrls.ROUTE, Set.of("outbound|9080||reviews.default.svc.cluster.local"));
        List<XdsResource> second = generator.generate(CLIENT, push("destination-rule-all", "virtual-service-reviews-80-20"),
                TypeUrls.ROUTE, Set.of("outbound|9080||reviews.default.svc.cluster.local"));
        assertThat(first.get(0).version()).isEqualTo(second.get(0).version());
        assertThat(first.get(0).body()).isEqualTo(second.get(0).body());
    }

    /**
     * A server keeps what it last sent each client for as long as the client stays connected: the replicas of a
     * workload asking for the same names must share one list, and one of another namespace must not.
     */
    @Test
    void replicasAskingForTheSameNamesShareOneResponseWithinAPush() throws Exception {
        PushSnapshot push = push("destination-rule-all");
        Proxy replica = Proxies.grpc("productpage-v1-def", "default", Map.of("app", "productpage", "version", "v1"));
        Subscribed first = subscribe(push, CLIENT, LISTENERS);
        Subscribed second = subscribe(push, replica, LISTENERS);
        assertThat(second.listeners()).isSameAs(first.listeners());
        assertThat(second.routes()).isSameAs(first.routes());
        assertThat(second.clusters()).isSameAs(first.clusters());
        assertThat(second.endpoints()).isSameAs(first.endpoints());

        Proxy elsewhere = Proxies.grpc("productpage-v1-abc", "other", Map.of("app", "productpage", "version", "v1"));
        Set<String> names = first.clusters().stream().map(XdsResource::name).collect(java.util.stream.Collectors.toSet());
        assertThat(generator.generate(elsewhere, push, TypeUrls.CLUSTER, names)).isNotSameAs(first.clusters());
    }
}
