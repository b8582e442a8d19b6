package dev.mizzen.pilot.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set of resources makes a client ask for next: listeners name route configs, routes name clusters,
 * EDS clusters name endpoint sets. A client that asked for all of it has its whole config.
 *
 * <p>Bodies are parsed from their bytes, not with {@code Any.unpack}: that keeps the parsed message inside
 * the cached {@code Any}, shared by every proxy of a group, for as long as the cache lives.
 */
final class References {
    private References() {
    }

    /**
     * True when, for every type, the stream subscribed to everything the resources it was sent refer to: a client
     * that did has its whole config.
     */
    static boolean allFollowed(Collection<Subscription> subscriptions) {
        Map<String, Subscription> byType = new HashMap<>();
        subscriptions.forEach(s -> byType.put(s.type, s));
        for (Subscription s : subscriptions) {
            for (var wanted : of(s.type, s.sent).entrySet()) {
                Subscription target = byType.get(wanted.getKey());
                if (wanted.getValue().isEmpty() || (target != null && target.wildcard)) {
                    continue;
                }
                if (target == null || !target.names.containsAll(wanted.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The type URL a resource type refers to, and the names it refers to. */
    static Map<String, Set<String>> of(String typeUrl, List<XdsResource> resources) {
        Set<String> names = new HashSet<>();
        try {
            switch (typeUrl) {
                case TypeUrls.LISTENER -> {
                    for (XdsResource r : resources) {
                        Listener l = Listener.parseFrom(r.body().getValue());
                        List<Filter> filters = new ArrayList<>();
                        for (FilterChain chain : l.getFilterChainsList()) {
                            filters.addAll(chain.getFiltersList());
                        }
                        if (l.hasApiListener()) {
                            hcmRoute(l.getApiListener().getApiListener(), names);
                        }
                        for (Filter f : filters) {
                            if (f.hasTypedConfig() && f.getTypedConfig().is(HttpConnectionManager.class)) {
                                hcmRoute(f.getTypedConfig(), names);
                            }
                        }
                    }
                    return Map.of(TypeUrls.ROUTE, names);
                }
                case TypeUrls.ROUTE -> {
                    for (XdsResource r : resources) {
                        for (VirtualHost vh : RouteConfiguration.parseFrom(r.body().getValue()).getVirtualHostsList()) {
                            for (Route route : vh.getRoutesList()) {
                                if (route.hasRoute()) {
                                    if (!route.getRoute().getCluster().isEmpty()) {
                                        names.add(route.getRoute().getCluster());
                                    }
                                    for (WeightedCluster.ClusterWeight cw : route.getRoute().getWeightedClusters().getClustersList()) {
                                        names.add(cw.getName());
                                    }
                                }
                            }
                        }
                    }
                    return Map.of(TypeUrls.CLUSTER, names);
                }
                case TypeUrls.CLUSTER -> {
                    for (XdsResource r : resources) {
                        Cluster c = Cluster.parseFrom(r.body().getValue());
                        if (c.getType() == Cluster.DiscoveryType.EDS) {
                            String service = c.getEdsClusterConfig().getServiceName();
                            names.add(service.isEmpty() ? c.getName() : service);
                        }
                    }
                    return Map.of(TypeUrls.ENDPOINT, names);
                }
                default -> {
                    return Map.of();
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a resource we generated does not parse", e);
        }
    }

    private static void hcmRoute(com.google.protobuf.Any any, Set<String> names) throws InvalidProtocolBufferException {
        HttpConnectionManager hcm = HttpConnectionManager.parseFrom(any.getValue());
        if (hcm.hasRds()) {
            names.add(hcm.getRds().getRouteConfigName());
        }
    }
}
