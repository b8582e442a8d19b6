package dev.mizzen.bench.proxy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mizzen.bench.proxy.ResourceReader.problem;

/**
 * Reads resources as an Envoy sidecar needs them to follow references (a listener's HTTP connection managers
 * name route configs, an EDS cluster names its endpoint set), and rejects a few things Envoy rejects at load:
 * a resource without a name; a listener without an address, a filter without typed config, an HTTP
 * connection manager without routes, with RDS not over ADS or whose last HTTP filter is not the router, a
 * TCP proxy without a cluster; an EDS cluster whose endpoints do not come over ADS, a logical DNS cluster
 * without endpoints, an original-destination cluster not balanced by the cluster; a route config with a
 * virtual host name or a domain twice, or a route without a path match. Envoy's proto constraints are
 * checked by pilot's tests, not here.
 */
public final class EnvoyResourceReader implements ResourceReader {
    private static final String ROUTER_TYPE = Any.pack(Router.getDefaultInstance()).getTypeUrl();

    @Override
    public ResourceInfo listener(Listener listener) throws InvalidProtocolBufferException {
        String name = listener.getName();
        if (name.isEmpty() || !listener.hasAddress()) {
            return problem(name, "listener '" + name + "' without a name or an address");
        }
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) {
            chains.add(listener.getDefaultFilterChain());
        }
        Set<String> routes = new HashSet<>();
        for (FilterChain chain : chains) {
            for (Filter filter : chain.getFiltersList()) {
                String problem = filter(filter, routes);
                if (!problem.isEmpty()) {
                    return problem(name, "listener " + name + ": " + problem);
                }
            }
        }
        return new ResourceInfo(name, Map.of(TypeUrls.ROUTE, routes), "");
    }

    /** Checks one network filter; adds the route config it names, if any. Returns a problem or "". */
    private static String filter(Filter filter, Set<String> routes) throws InvalidProtocolBufferException {
        if (!filter.hasTypedConfig()) {
            return "filter " + filter.getName() + " without typed config";
        }
        Any config = filter.getTypedConfig();
        if (config.is(HttpConnectionManager.class)) {
            HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
            int filters = hcm.getHttpFiltersCount();
            if (filters == 0 || !hcm.getHttpFilters(filters - 1).getTypedConfig().getTypeUrl().equals(ROUTER_TYPE)) {
                return "the last HTTP filter is not the router";
            }
            if (hcm.hasRds()) {
                if (!hcm.getRds().getConfigSource().hasAds()) {
                    return "routes " + hcm.getRds().getRouteConfigName() + " not over ADS";
                }
                routes.add(hcm.getRds().getRouteConfigName());
            } else if (!hcm.hasRouteConfig()) {
                return "an HTTP connection manager without routes";
            }
        } else if (config.is(TcpProxy.class)) {
            TcpProxy tcp = config.unpack(TcpProxy.class);
            if (tcp.getCluster().isEmpty() && tcp.getWeightedClusters().getClustersCount() == 0) {
                return "a TCP proxy without a cluster";
            }
        }
        return "";
    }

    @Override
    public ResourceInfo cluster(Cluster cluster) {
        String name = cluster.getName();
        if (name.isEmpty()) {
            return problem(name, "a cluster without a name");
        }
        switch (cluster.getType()) {
            case EDS -> {
                if (!cluster.getEdsClusterConfig().getEdsConfig().hasAds()) {
                    return problem(name, "cluster " + name + ": endpoints not over ADS");
                }
                String service = cluster.getEdsClusterConfig().getServiceName();
                return new ResourceInfo(name, Map.of(TypeUrls.ENDPOINT, Set.of(service.isEmpty() ? name : service)), "");
            }
            case STATIC, STRICT_DNS -> {
                // without endpoints is fine: Istio's BlackHoleCluster is a STATIC cluster with no load assignment
            }
            case LOGICAL_DNS -> {
                // Envoy insists on exactly one host for a logical DNS cluster
                if (!cluster.hasLoadAssignment()) {
                    return problem(name, "cluster " + name + " of type " + cluster.getType() + " without endpoints");
                }
            }
            case ORIGINAL_DST -> {
                if (cluster.getLbPolicy() != Cluster.LbPolicy.CLUSTER_PROVIDED) {
                    return problem(name, "cluster " + name + ": ORIGINAL_DST with lb policy " + cluster.getLbPolicy());
                }
            }
            default -> {
                return problem(name, "cluster " + name + " of type " + cluster.getType());
            }
        }
        return new ResourceInfo(name, Map.of(), "");
    }

    @Override
    public ResourceInfo routes(RouteConfiguration config) {
        String name = config.getName();
        if (name.isEmpty()) {
            return problem(name, "a route config without a name");
        }
        Set<String> hostNames = new HashSet<>();
        Set<String> domains = new HashSet<>();
        Set<String> clusters = new HashSet<>();
        for (VirtualHost host : config.getVirtualHostsList()) {
            if (!hostNames.add(host.getName())) {
                return problem(name, "route config " + name + ": virtual host " + host.getName() + " twice");
            }
            for (String domain : host.getDomainsList()) {
                if (!domains.add(domain)) {
                    return problem(name, "route config " + name + ": domain " + domain + " in two virtual hosts");
                }
            }
            for (Route route : host.getRoutesList()) {
                if (route.getMatch().getPathSpecifierCase() == RouteMatch.PathSpecifierCase.PATHSPECIFIER_NOT_SET) {
                    return problem(name, "route config " + name + ": a match without a path");
                }
                if (route.hasRoute()) {
                    if (!route.getRoute().getCluster().isEmpty()) {
                        clusters.add(route.getRoute().getCluster());
                    }
                    for (WeightedCluster.ClusterWeight weight : route.getRoute().getWeightedClusters().getClustersList()) {
                        clusters.add(weight.getName());
                    }
                }
            }
        }
        return new ResourceInfo(name, Map.of(TypeUrls.CLUSTER, clusters), "");
    }

    @Override
    public ResourceInfo endpoints(ClusterLoadAssignment assignment) {
        String name = assignment.getClusterName();
        return name.isEmpty() ? problem(name, "endpoints without a cluster name") : new ResourceInfo(name, Map.of(), "");
    }
}
