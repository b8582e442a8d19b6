package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.github.udpa.udpa.type.v1.TypedStruct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Envoy resources, valid and broken the way a generator could break them. */
class PgvValidatorTest {
    private final PgvValidator validator = PgvValidator.forEnvoy();

    @Test
    void validSidecarShapesPass() {
        PgvReport report = validator.validateAll(List.of(listener(hcm("outbound_0.0.0.0_9080")), cluster(),
                routes(vhost("reviews.default.svc.cluster.local:9080", "reviews", "reviews:9080"))));
        System.out.print("valid resources:\n" + report);
        report.assertValid();
        assertTrue(report.unresolvedTypes().isEmpty(), report::toString);
    }

    @Test
    void connectionManagerWithoutStatPrefixInsideTypedConfig() {
        expectOnly(listener(hcm("")),
                "listener[virtualInbound].filter_chains[0].filters[0].typed_config.stat_prefix: length must be >= 1");
    }

    @Test
    void listenerFilterWithEmptyName() {
        Listener listener = listener(hcm("p")).toBuilder()
                .setFilterChains(0, FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setTypedConfig(Any.pack(hcm("p"))))).build();
        expectOnly(listener, "listener[virtualInbound].filter_chains[0].filters[0].name: length must be >= 1");
    }

    @Test
    void clusterWithEmptyNameZeroTimeoutAndUndefinedLbPolicy() {
        Cluster cluster = cluster().toBuilder().setName("")
                .setConnectTimeout(Duration.getDefaultInstance()).setLbPolicyValue(999).build();
        assertEquals(List.of(
                "cluster[].name: length must be >= 1",
                "cluster[].connect_timeout: must be > 0s",
                "cluster[].lb_policy: value 999 is not a defined LbPolicy"), messages(validator.validate(cluster)));
    }

    @Test
    void wrapperValueOutOfRange() {
        Cluster cluster = cluster().toBuilder().setOutlierDetection(OutlierDetection.newBuilder()
                .setMaxEjectionPercent(UInt32Value.of(101))).build();
        expectOnly(cluster, "cluster[outbound|9080||reviews.default.svc.cluster.local].outlier_detection"
                + ".max_ejection_percent: must be <= 100");
    }

    @Test
    void virtualHostWithoutDomainsAndWeightedClusterWithoutClusters() {
        VirtualHost vhost = vhost("reviews:9080").toBuilder().clearDomains()
                .setRoutes(0, route("default").toBuilder().setRoute(RouteAction.newBuilder()
                        .setWeightedClusters(WeightedCluster.getDefaultInstance()))).build();
        assertEquals(List.of(
                "route_configuration[9080].virtual_hosts[0].domains: must have at least 1 item(s)",
                "route_configuration[9080].virtual_hosts[0].routes[0].route.weighted_clusters.clusters: "
                        + "must have at least 1 item(s)"), messages(validator.validate(routes(vhost))));
    }

    @Test
    void requiredOneofsAndMessages() {
        Route noAction = Route.newBuilder().setName("r").build();
        VirtualHost vhost = vhost("reviews:9080", "reviews").toBuilder().setRoutes(0, noAction).build();
        assertEquals(List.of(
                "route_configuration[9080].virtual_hosts[0].routes[0].action: one of [route, redirect, direct_response,"
                        + " filter_action, non_forwarding_action] is required",
                "route_configuration[9080].virtual_hosts[0].routes[0].match: is required"),
                messages(validator.validate(routes(vhost))));
    }

    @Test
    void patternAndHeaderNameRules() {
        RouteMatch match = RouteMatch.newBuilder().setPathSeparatedPrefix("/api/")
                .addHeaders(HeaderMatcher.newBuilder().setName("end-user\r\n").setPresentMatch(true)).build();
        VirtualHost vhost = vhost("reviews:9080", "reviews").toBuilder()
                .setRoutes(0, route("default").toBuilder().setMatch(match)).build();
        assertEquals(List.of(
                "route_configuration[9080].virtual_hosts[0].routes[0].match.path_separated_prefix: "
                        + "must match pattern ^[^?#]+[^?#/]$",
                "route_configuration[9080].virtual_hosts[0].routes[0].match.headers[0].name: "
                        + "must not contain NUL, CR or LF"), messages(validator.validate(routes(vhost))));
    }

    @Test
    void perFilterConfigMapValuesAreUnpacked() {
        HTTPFault fault = HTTPFault.newBuilder().setAbort(io.envoyproxy.envoy.extensions.filters.http.fault.v3
                .FaultAbort.newBuilder().setHttpStatus(99).setPercentage(FractionalPercent.newBuilder()
                        .setNumerator(100))).build();
        VirtualHost vhost = vhost("reviews:9080", "reviews").toBuilder().setRoutes(0, route("default").toBuilder()
                .putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault))).build();
        expectOnly(routes(vhost), "route_configuration[9080].virtual_hosts[0].routes[0]"
                + ".typed_per_filter_config[envoy.filters.http.fault].abort.http_status: must be in range [200, 600)");
    }

    @Test
    void unknownAnyTypesAreListedNotPassedSilently() {
        Listener listener = listener(hcm("p").toBuilder().addHttpFilters(0, HttpFilter.newBuilder()
                .setName("istio.stats").setTypedConfig(Any.newBuilder()
                        .setTypeUrl("type.googleapis.com/stats.PluginConfig"))).build());
        PgvReport report = validator.validate(listener);
        report.assertValid();
        assertEquals(Set.of("type.googleapis.com/stats.PluginConfig"), report.unresolvedTypes());
    }

    @Test
    void typedStructIsConvertedAndValidated() {
        Struct noStatPrefix = Struct.newBuilder().putFields("codec_type", Value.newBuilder().setStringValue("AUTO")
                .build()).build();
        TypedStruct typed = TypedStruct.newBuilder().setTypeUrl("type.googleapis.com/"
                + HttpConnectionManager.getDescriptor().getFullName()).setValue(noStatPrefix).build();
        TypedExtensionConfig config = TypedExtensionConfig.newBuilder().setName("hcm")
                .setTypedConfig(Any.pack(typed)).build();
        assertEquals(List.of(
                "typed_extension_config[hcm].typed_config.route_specifier: one of [rds, route_config, scoped_routes]"
                        + " is required",
                "typed_extension_config[hcm].typed_config.stat_prefix: length must be >= 1"),
                messages(validator.validate(config)));
    }

    /** Every rule kind that the protos in java-control-plane's api jar declare is one this validator checks. */
    @Test
    void everyRuleKindEnvoyDeclaresIsChecked() {
        Set<String> declared = RuleInventory.declaredBy(EnvoyTypeRegistry.envoy());
        Set<String> unchecked = new TreeSet<>(declared);
        unchecked.removeAll(PgvValidator.checkedRules());
        System.out.println("rule kinds declared by Envoy's protos: " + declared);
        System.out.println("of which unchecked: " + unchecked);
        assertTrue(declared.size() > 40, declared::toString);
        assertEquals(Set.of(), unchecked);
    }

    private void expectOnly(Message message, String violation) {
        assertEquals(List.of(violation), messages(validator.validate(message)));
    }

    private static List<String> messages(PgvReport report) {
        return report.violations().stream().map(Violation::toString).toList();
    }

    static HttpConnectionManager hcm(String statPrefix) {
        return HttpConnectionManager.newBuilder().setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder().setRouteConfigName("9080").setConfigSource(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3)))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .build();
    }

    static Listener listener(HttpConnectionManager hcm) {
        return Listener.newBuilder().setName("virtualInbound").setAddress(address("0.0.0.0", 15006))
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm))))
                .build();
    }

    static Cluster cluster() {
        return Cluster.newBuilder().setName("outbound|9080||reviews.default.svc.cluster.local")
                .setType(Cluster.DiscoveryType.EDS).setConnectTimeout(Duration.newBuilder().setSeconds(10))
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName(
                        "outbound|9080||reviews.default.svc.cluster.local").setEdsConfig(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3)))
                .build();
    }

    static RouteConfiguration routes(VirtualHost... vhosts) {
        return RouteConfiguration.newBuilder().setName("9080").addAllVirtualHosts(List.of(vhosts)).build();
    }

    static VirtualHost vhost(String name, String... domains) {
        return VirtualHost.newBuilder().setName(name).addAllDomains(List.of(domains)).addRoutes(route("default"))
                .build();
    }

    static Route route(String name) {
        return Route.newBuilder().setName(name).setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster("outbound|9080||reviews.default.svc.cluster.local")
                        .setTimeout(Duration.getDefaultInstance()))
                .build();
    }

    static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
