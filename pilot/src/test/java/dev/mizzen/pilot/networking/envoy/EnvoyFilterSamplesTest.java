package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.Proxies;
import dev.mizzen.pilot.testing.XdsJson;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's documented EnvoyFilters (istio/samples/envoyfilter, see istio/SOURCES.txt) on Bookinfo: the filters and
 * rate limits a reader of Istio's docs expects, where the docs say, in golden files; every resource they touch
 * still passes Envoy's validation rules. And a patch that breaks a resource is not sent.
 */
class EnvoyFilterSamplesTest {
    private static final String SAMPLES = "istio/samples/envoyfilter/";
    static final Proxy PRODUCTPAGE = EnvoyGeneratorTest.PRODUCTPAGE;
    static final Proxy REVIEWS = Proxies.sidecar("reviews-v1-abc", "10.1.0.3", "default",
            Map.of("app", "reviews", "version", "v1"));
    static final Proxy GATEWAY = EnvoyGeneratorTest.GATEWAY;

    static PushSnapshot push(String... resources) {
        List<Config<?>> configs = IstioConfigs.load("default", resources);
        return PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
    }

    @Test
    void globalRateLimitPutsTheRateLimitFilterBeforeTheRouterAndRateLimitsOnTheGatewaysRoutes() throws Exception {
        EnvoyConfig config = EnvoyConfig.of(GATEWAY, push("istio/bookinfo/networking/bookinfo-gateway.yaml",
                SAMPLES + "global-rate-limit.yaml"));

        XdsJson.assertGolden("envoyfilter/samples/gateway-global-rate-limit.golden.json", config.json());
        assertThat(httpFilters(config.listener("0.0.0.0_8080")))
                .endsWith("envoy.filters.http.ratelimit", "envoy.filters.http.router");
        RouteConfiguration routes = config.route("http.8080");
        VirtualHost vhost = routes.getVirtualHosts(0);
        assertThat(vhost.getName()).isEqualTo("*:8080");
        assertThat(vhost.getRateLimits(0).getActions(0).getRequestHeaders().getDescriptorKey()).isEqualTo("PATH");
        assertThat(vhost.getRoutesList()).filteredOn(r -> r.getName().equals("api")).singleElement()
                .satisfies(r -> assertThat(r.getRoute().getRateLimits(0).getActions(0).getHeaderValueMatch()
                        .getDescriptorValue()).isEqualTo("api"));
        assertValid(config);
    }

    @Test
    void localRateLimitGoesFirstOnTheInboundConnectionManagerWithItsBucketOnEachInboundRoute() throws Exception {
        EnvoyConfig config = EnvoyConfig.of(PRODUCTPAGE, push(SAMPLES + "local-rate-limit.yaml"));

        XdsJson.assertGolden("envoyfilter/samples/productpage-local-rate-limit.golden.json", config.json());
        Listener inbound = config.listener("virtualInbound");
        List<HttpConnectionManager> hcms = hcms(inbound);
        assertThat(hcms).isNotEmpty().allSatisfy(hcm -> {
            assertThat(hcm.getHttpFilters(0).getName()).isEqualTo("envoy.filters.http.local_ratelimit");
            if (hcm.getRouteConfig().getVirtualHostsList().stream().anyMatch(v -> v.getName().equals("inbound|http|9080"))) {
                assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutesList()).allSatisfy(r ->
                        assertThat(r.getTypedPerFilterConfigMap()).containsKey("envoy.filters.http.local_ratelimit"));
            }
        });
        assertThat(hcms).anySatisfy(hcm -> assertThat(hcm.getRouteConfig().getVirtualHostsList())
                .extracting(VirtualHost::getName).contains("inbound|http|9080"));
        // outbound is untouched: the EnvoyFilter names the inbound context only
        assertThat(hcms(config.listener("0.0.0.0_9080"))).allSatisfy(hcm ->
                assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
                        .doesNotContain("envoy.filters.http.local_ratelimit"));
        assertValid(config);
    }

    @Test
    void luaRunsBeforeTheRouterOfReviewsAndItsClusterIsAdded() throws Exception {
        EnvoyConfig reviews = EnvoyConfig.of(REVIEWS, push(SAMPLES + "lua.yaml"));
        EnvoyConfig productpage = EnvoyConfig.of(PRODUCTPAGE, push(SAMPLES + "lua.yaml"));

        XdsJson.assertGolden("envoyfilter/samples/reviews-lua.golden.json", reviews.json());
        assertThat(hcms(reviews.listener("virtualInbound"))).anySatisfy(hcm ->
                assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
                        .endsWith("envoy.filters.http.lua", "envoy.filters.http.router"));
        assertThat(reviews.cluster("lua_cluster").getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(productpage.names(productpage.clusters())).doesNotContain("lua_cluster");
        assertValid(reviews);
    }

    @Test
    void extAuthzOfClassAuthzGoesBeforeTheRouterOnEveryInboundChainOfTheNamespace() throws Exception {
        EnvoyConfig config = EnvoyConfig.of(PRODUCTPAGE, push(SAMPLES + "ext-authz.yaml"));

        XdsJson.assertGolden("envoyfilter/samples/productpage-ext-authz.golden.json", config.json());
        assertThat(hcms(config.listener("virtualInbound"))).isNotEmpty().allSatisfy(hcm ->
                assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
                        .endsWith("envoy.filters.http.ext_authz", "istio.stats", "envoy.filters.http.router"));
        assertValid(config);
    }

    @Test
    void aProxyNoFilterSelectsSharesTheCachedResources() {
        PushSnapshot push = push(SAMPLES + "lua.yaml");
        EnvoyGenerator generator = new EnvoyGenerator();
        List<XdsResource> plain = generator.generate(PRODUCTPAGE, push, TypeUrls.LISTENER, Set.of());
        List<XdsResource> again = generator.generate(PRODUCTPAGE, push, TypeUrls.LISTENER, Set.of());

        assertThat(again).isSameAs(plain);
    }

    @Test
    void aPatchThatBreaksAClusterSendsNoClustersAndIsCounted() {
        PushSnapshot push = push("envoyfilter/broken-cluster.yaml");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EnvoyGenerator generator = new EnvoyGenerator(meters);

        assertThat(generator.generate(PRODUCTPAGE, push, TypeUrls.CLUSTER, Set.of())).isNull();
        assertThat(generator.generate(PRODUCTPAGE, push, TypeUrls.LISTENER, Set.of())).isNotEmpty();
        assertThat(meters.get("pilot_envoy_filter_errors_total").tag("name", "default/zero-timeout").tag("type", "CDS")
                .counter().count()).isEqualTo(1.0);
    }

    private static void assertValid(EnvoyConfig config) throws InvalidProtocolBufferException {
        List<com.google.protobuf.Message> all = new ArrayList<>();
        for (XdsResource r : config.clusters()) {
            all.add(r.body().unpack(Cluster.class));
        }
        for (XdsResource r : config.listeners()) {
            all.add(r.body().unpack(Listener.class));
        }
        for (XdsResource r : config.routes()) {
            all.add(r.body().unpack(RouteConfiguration.class));
        }
        PgvValidator.forEnvoy().validateAll(all).assertValid();
    }

    static List<String> httpFilters(Listener listener) {
        return hcms(listener).get(0).getHttpFiltersList().stream().map(HttpFilter::getName).toList();
    }

    static List<HttpConnectionManager> hcms(Listener listener) {
        List<HttpConnectionManager> out = new ArrayList<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            for (Filter f : chain.getFiltersList()) {
                if (f.getTypedConfig().is(HttpConnectionManager.class)) {
                    try {
                        out.add(f.getTypedConfig().unpack(HttpConnectionManager.class));
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }
}
