package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The xDS resources one proxy holds (LDS, RDS, CDS, EDS), indexed by name. Immutable. */
public record XdsConfig(List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
                        List<ClusterLoadAssignment> endpoints) {

    public XdsConfig {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
    }

    /**
     * Sorts mixed resources by type; {@code Any}-packed ones (as in a DiscoveryResponse) are unpacked.
     * Other types (secrets, runtime) are ignored.
     */
    public static XdsConfig of(Collection<? extends Message> resources) {
        List<Listener> listeners = new ArrayList<>();
        List<RouteConfiguration> routes = new ArrayList<>();
        List<Cluster> clusters = new ArrayList<>();
        List<ClusterLoadAssignment> endpoints = new ArrayList<>();
        for (Message resource : resources) {
            Message m = resource instanceof Any any ? unpack(any) : resource;
            if (m instanceof Listener l) {
                listeners.add(l);
            } else if (m instanceof RouteConfiguration r) {
                routes.add(r);
            } else if (m instanceof Cluster c) {
                clusters.add(c);
            } else if (m instanceof ClusterLoadAssignment e) {
                endpoints.add(e);
            }
        }
        return new XdsConfig(listeners, routes, clusters, endpoints);
    }

    public Optional<Listener> listener(String name) {
        return listeners.stream().filter(l -> l.getName().equals(name)).findFirst();
    }

    public Optional<RouteConfiguration> route(String name) {
        return Optional.ofNullable(byName(routes, RouteConfiguration::getName).get(name));
    }

    public Optional<Cluster> cluster(String name) {
        return Optional.ofNullable(byName(clusters, Cluster::getName).get(name));
    }

    public Optional<ClusterLoadAssignment> endpoints(String serviceName) {
        return Optional.ofNullable(byName(endpoints, ClusterLoadAssignment::getClusterName).get(serviceName));
    }

    /** Names given to more than one resource of a type: Envoy keeps only one, so this is a generator bug. */
    public List<String> duplicateNames() {
        List<String> out = new ArrayList<>();
        duplicates("listener", listeners, Listener::getName, out);
        duplicates("route configuration", routes, RouteConfiguration::getName, out);
        duplicates("cluster", clusters, Cluster::getName, out);
        duplicates("cluster load assignment", endpoints, ClusterLoadAssignment::getClusterName, out);
        return out;
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> out = new LinkedHashMap<>();
        items.forEach(item -> out.putIfAbsent(name.apply(item), item));
        return out;
    }

    private static <T> void duplicates(String kind, List<T> items, Function<T, String> name, List<String> out) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        items.forEach(item -> counts.merge(name.apply(item), 1, Integer::sum));
        counts.forEach((n, c) -> {
            if (c > 1) {
                out.add(kind + " " + n + " appears " + c + " times");
            }
        });
    }

    private static Message unpack(Any any) {
        try {
            if (any.is(Listener.class)) {
                return any.unpack(Listener.class);
            } else if (any.is(RouteConfiguration.class)) {
                return any.unpack(RouteConfiguration.class);
            } else if (any.is(Cluster.class)) {
                return any.unpack(Cluster.class);
            } else if (any.is(ClusterLoadAssignment.class)) {
                return any.unpack(ClusterLoadAssignment.class);
            }
            return any;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("cannot unpack " + any.getTypeUrl(), e);
        }
    }
}
