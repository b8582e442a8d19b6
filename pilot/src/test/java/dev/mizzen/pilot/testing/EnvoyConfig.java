package dev.mizzen.pilot.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything an Envoy proxy ends up with, subscribing as Envoy does: CDS and LDS as wildcards, then RDS for
 * the route names its listeners name and EDS for its EDS clusters.
 */
public record EnvoyConfig(List<XdsResource> clusters, List<XdsResource> listeners, List<XdsResource> routes,
                          List<XdsResource> endpoints) {

    public static EnvoyConfig of(Proxy proxy, PushSnapshot push) {
        EnvoyGenerator generator = new EnvoyGenerator();
        List<XdsResource> clusters = generator.generate(proxy, push, TypeUrls.CLUSTER, Set.of());
        List<XdsResource> listeners = generator.generate(proxy, push, TypeUrls.LISTENER, Set.of());
        Set<String> routeNames = new TreeSet<>();
        Set<String> edsNames = new TreeSet<>();
        try {
            for (XdsResource l : listeners) {
                Listener listener = l.body().unpack(Listener.class);
                List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
                if (listener.hasDefaultFilterChain()) {
                    chains.add(listener.getDefaultFilterChain());
                }
                for (FilterChain chain : chains) {
                    for (Filter f : chain.getFiltersList()) {
                        if (f.getTypedConfig().is(HttpConnectionManager.class)) {
                            HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
                            if (hcm.hasRds()) {
                                routeNames.add(hcm.getRds().getRouteConfigName());
                            }
                        }
                    }
                }
            }
            for (XdsResource c : clusters) {
                Cluster cluster = c.body().unpack(Cluster.class);
                if (cluster.getType() == Cluster.DiscoveryType.EDS) {
                    edsNames.add(cluster.getEdsClusterConfig().getServiceName());
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return new EnvoyConfig(clusters, listeners, generator.generate(proxy, push, TypeUrls.ROUTE, routeNames),
                generator.generate(proxy, push, TypeUrls.ENDPOINT, edsNames));
    }

    public String json() {
        return "{\"clusters\": " + XdsJson.print(clusters) + ", \"listeners\": " + XdsJson.print(listeners)
                + ", \"routes\": " + XdsJson.print(routes) + ", \"endpoints\": " + XdsJson.print(endpoints) + "}\n";
    }

    public Listener listener(String name) {
        return unpack(listeners, name, Listener.class);
    }

    public Cluster cluster(String name) {
        return unpack(clusters, name, Cluster.class);
    }

    public RouteConfiguration route(String name) {
        return unpack(routes, name, RouteConfiguration.class);
    }

    public ClusterLoadAssignment endpoints(String name) {
        return unpack(endpoints, name, ClusterLoadAssignment.class);
    }

    public List<String> names(List<XdsResource> resources) {
        return resources.stream().map(XdsResource::name).sorted().toList();
    }

    private static <T extends com.google.protobuf.Message> T unpack(List<XdsResource> resources, String name, Class<T> type) {
        XdsResource r = resources.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no resource " + name + " among " + resources.stream().map(XdsResource::name).toList()));
        try {
            return r.body().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
