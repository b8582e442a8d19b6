package dev.mizzen.pilot.testing.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a simulated request came to, in the terms both simulations share (ours and Istio's
 * {@code pilot/pkg/simulation}): where it stopped, or the listener, route configuration, virtual host and the
 * clusters (name to weight; a single cluster weighs 100) with the endpoints of a single cluster. As an
 * expectation, a null field is not checked, except the failure: null expects the request to get through.
 */
public record Outcome(Failure.Kind failure, String listener, String routeConfig, String virtualHost,
                      Map<String, Integer> clusters, Integer endpoints) {

    public Outcome {
        clusters = clusters == null ? null : Map.copyOf(clusters);
    }

    /** Routed over HTTP to one cluster. */
    public static Outcome routed(String listener, String routeConfig, String virtualHost, String cluster) {
        return new Outcome(null, listener, routeConfig, virtualHost, Map.of(cluster, 100), null);
    }

    /** Routed over HTTP to weighted clusters. */
    public static Outcome split(String listener, String routeConfig, String virtualHost, Map<String, Integer> clusters) {
        return new Outcome(null, listener, routeConfig, virtualHost, clusters, null);
    }

    /** Sent by tcp_proxy (or a passthrough chain) to one cluster, without HTTP routing. */
    public static Outcome tcp(String listener, String cluster) {
        return new Outcome(null, listener, null, null, Map.of(cluster, 100), null);
    }

    /** Stopped at {@code failure}; the listener, when one took the connection. */
    public static Outcome failed(Failure.Kind failure, String listener) {
        return new Outcome(failure, listener, null, null, null, null);
    }

    public Outcome withEndpoints(int count) {
        return new Outcome(failure, listener, routeConfig, virtualHost, clusters, count);
    }

    public Outcome withClusters(Map<String, Integer> value) {
        return new Outcome(failure, listener, routeConfig, virtualHost, value, endpoints);
    }

    /** What our simulation's result comes to. */
    public static Outcome of(Result r) {
        Map<String, Integer> clusters = new LinkedHashMap<>();
        if (r.upstreams().size() == 1) {
            clusters.put(r.upstreams().get(0).cluster(), 100);
        } else {
            r.upstreams().forEach(u -> clusters.merge(u.cluster(), u.weight(), Integer::sum));
        }
        Integer endpoints = r.clusterInfo() == null ? null : r.clusterInfo().endpoints().size();
        return new Outcome(r.failureKind(), r.listenerName(), r.http() == null ? null : r.http().routeConfig(),
                r.virtualHost(), clusters.isEmpty() ? null : clusters, endpoints);
    }

    /** The fields this expectation sets that {@code actual} does not match, as "field: want X, got Y". */
    public List<String> mismatches(Outcome actual) {
        List<String> out = new ArrayList<>();
        check(out, "failure", failure, actual.failure);
        check(out, "listener", listener, actual.listener);
        check(out, "route config", routeConfig, actual.routeConfig);
        check(out, "virtual host", virtualHost, actual.virtualHost);
        check(out, "clusters", clusters, actual.clusters);
        check(out, "endpoints", endpoints, actual.endpoints);
        if (failure == null && actual.failure != null) {
            out.add("failure: want none, got " + actual.failure);
        }
        return out;
    }

    private static void check(List<String> out, String field, Object want, Object got) {
        if (want != null && !Objects.equals(want, got)) {
            out.add(field + ": want " + want + ", got " + got);
        }
    }
}
