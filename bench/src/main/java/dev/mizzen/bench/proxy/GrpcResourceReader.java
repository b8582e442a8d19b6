package dev.mizzen.bench.proxy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads resources as grpc-java's xDS client does, and rejects what it is known to reject (design.md):
 * a listener that is not an api_listener with an HTTP connection manager whose routes come over ADS and
 * whose last filter is the router with its typed config; a route without a path specifier or whose
 * weighted clusters sum to 0; a cluster that is not of type EDS over ADS, or that balances with MAGLEV.
 */
public final class GrpcResourceReader implements ResourceReader {
    private static final String ROUTER_TYPE = Any.pack(Router.getDefaultInstance()).getTypeUrl();

    @Override
    public ResourceInfo listener(Listener listener) throws InvalidProtocolBufferException {
        String name = listener.getName();
        if (!listener.hasApiListener() || !listener.getApiListener().getApiListener().is(HttpConnectionManager.class)) {
            return new ResourceInfo(name, Map.of(), "listener " + name + " is not an api_listener with an HCM");
        }
        HttpConnectionManager hcm = listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        if (!hcm.hasRds() || !overAds(hcm.getRds().getConfigSource())) {
            return new ResourceInfo(name, Map.of(), "listener " + name + ": routes not over ADS");
        }
        int filters = hcm.getHttpFiltersCount();
        HttpFilter last = filters == 0 ? null : hcm.getHttpFilters(filters - 1);
        if (last == null || !last.hasTypedConfig() || !last.getTypedConfig().getTypeUrl().equals(ROUTER_TYPE)) {
            return new ResourceInfo(name, Map.of(), "listener " + name + ": the last HTTP filter is not the router");
        }
        return new ResourceInfo(name, Map.of(TypeUrls.ROUTE, Set.of(hcm.getRds().getRouteConfigName())), "");
    }

    @Override
    public ResourceInfo routes(RouteConfiguration config) {
        String name = config.getName();
        Set<String> clusters = new HashSet<>();
        for (VirtualHost host : config.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                if (route.getMatch().getPathSpecifierCase() == io.envoyproxy.envoy.config.route.v3.RouteMatch.PathSpecifierCase.PATHSPECIFIER_NOT_SET) {
                    return new ResourceInfo(name, Map.of(), "route config " + name + ": a match without a path");
                }
                if (!route.hasRoute()) {
                    continue;
                }
                if (!route.getRoute().getCluster().isEmpty()) {
                    clusters.add(route.getRoute().getCluster());
                }
                long total = 0;
                for (WeightedCluster.ClusterWeight weight : route.getRoute().getWeightedClusters().getClustersList()) {
                    clusters.add(weight.getName());
                    total += weight.getWeight().getValue();
                }
                if (route.getRoute().hasWeightedClusters() && total == 0) {
                    return new ResourceInfo(name, Map.of(), "route config " + name + ": cluster weights sum to 0");
                }
            }
        }
        return new ResourceInfo(name, Map.of(TypeUrls.CLUSTER, clusters), "");
    }

    @Override
    public ResourceInfo cluster(Cluster cluster) {
        String name = cluster.getName();
        if (cluster.getType() != Cluster.DiscoveryType.EDS) {
            return new ResourceInfo(name, Map.of(), "cluster " + name + " is of type " + cluster.getType());
        }
        if (cluster.getLbPolicy() == Cluster.LbPolicy.MAGLEV) {
            return new ResourceInfo(name, Map.of(), "cluster " + name + ": lb policy MAGLEV");
        }
        ConfigSource eds = cluster.getEdsClusterConfig().getEdsConfig();
        if (!overAds(eds) && !eds.hasSelf()) {
            return new ResourceInfo(name, Map.of(), "cluster " + name + ": endpoints not over ADS");
        }
        String service = cluster.getEdsClusterConfig().getServiceName();
        return new ResourceInfo(name, Map.of(TypeUrls.ENDPOINT, Set.of(service.isEmpty() ? name : service)), "");
    }

    private static boolean overAds(ConfigSource source) {
        return source.hasAds();
    }

    @Override
    public ResourceInfo endpoints(ClusterLoadAssignment assignment) {
        return new ResourceInfo(assignment.getClusterName(), Map.of(), "");
    }
}
