package dev.mizzen.pilot.testing.simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the proxy does with a request: the listener and filter chain, for HTTP the route, the target and
 * the upstream clusters, or the failure where it stopped. {@code toString} reads as the path taken:
 * {@code listener 0.0.0.0_9080 (via virtualOutbound) > route 9080 > vhost reviews:9080 > route default >
 * cluster outbound|9080|v2|reviews.default.svc.cluster.local (timeout 0s, retries 2 on 5xx)}.
 *
 * @param listener  null when no listener took the connection
 * @param http      null for TCP, or when the chain had no HTTP connection manager
 * @param target    what the route (or tcp_proxy) does; null when it got no that far
 * @param upstreams the clusters of the target, resolved against CDS/EDS
 * @param failure   null when the request reached its target
 */
public record Result(Request request, ListenerMatch listener, HttpRoute http, RouteTarget target,
                     List<Upstream> upstreams, Failure failure) {

    public Result {
        upstreams = List.copyOf(upstreams);
    }

    public boolean ok() {
        return failure == null;
    }

    public Failure.Kind failureKind() {
        return failure == null ? null : failure.kind();
    }

    /** The single target cluster, or null when there is none or several (see {@link #clusters()}). */
    public String cluster() {
        return upstreams.size() == 1 ? upstreams.get(0).cluster() : null;
    }

    /** Target clusters and their weights, in route order. */
    public Map<String, Integer> clusters() {
        Map<String, Integer> out = new LinkedHashMap<>();
        upstreams.forEach(u -> out.put(u.cluster(), u.weight()));
        return out;
    }

    /** The resolved cluster (type, endpoints, TLS) of the single target, or null. */
    public ClusterInfo clusterInfo() {
        return upstreams.size() == 1 ? upstreams.get(0).info() : null;
    }

    public String listenerName() {
        return listener == null ? null : listener.listener();
    }

    public String virtualHost() {
        return http == null ? null : http.virtualHost();
    }

    public String route() {
        return http == null ? null : http.route();
    }

    public RetryInfo retry() {
        return http == null ? null : http.retry();
    }

    public String timeout() {
        return http == null ? null : http.timeout();
    }

    public FaultInfo fault() {
        return http == null ? null : http.fault();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(listener == null ? "no listener" : listener.toString());
        if (http != null) {
            out.append(" > ").append(http.trace());
        }
        if (target != null) {
            out.append(" > ").append(target);
            upstreams.stream().filter(u -> !u.found()).forEach(u -> out.append(" [").append(u.cluster())
                    .append(" not found]"));
            if (http != null && !http.policies().isEmpty()) {
                out.append(" (").append(http.policies()).append(')');
            }
        }
        if (failure != null) {
            out.append(" > ").append(failure);
        }
        return out.toString();
    }

    /** The path, then each upstream cluster in detail; for assertion messages. */
    public String describe() {
        StringBuilder out = new StringBuilder(request.toString()).append("\n  => ").append(this);
        upstreams.stream().filter(Upstream::found).forEach(u -> out.append("\n  ").append(u.info()));
        return out.toString();
    }
}
