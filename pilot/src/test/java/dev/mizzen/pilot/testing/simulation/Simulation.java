package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Answers "where does this request go" over the xDS config of one Envoy proxy, as Istio's simulation
 * tests do: listener (capture and original-destination hand-off, or a gateway port), filter chain
 * (Envoy's matching order), then either tcp_proxy's cluster, or the HTTP connection manager's route
 * configuration, virtual host, route and action, and finally the clusters with their endpoints and TLS.
 *
 * <pre>
 * Simulation sim = new Simulation(XdsConfig.of(resources));
 * Result r = sim.call(Request.http("10.96.0.20", 9080).withAuthority("reviews:9080").withHeader("end-user", "jason"));
 * assertEquals("outbound|9080|v2|reviews.default.svc.cluster.local", r.cluster(), r.describe());
 * </pre>
 * {@link #secured} also runs the chain's security filters (jwt_authn, RBAC, ext_authz, network RBAC) on the
 * request first, as {@link SecurityFilterChain} does. Not modelled: other network filters before the terminal
 * one, HTTP filters other than those and fault, scoped routes, the unified matcher API, load balancing itself.
 * Immutable and thread-safe.
 */
public final class Simulation {
    private static final String HCM = "envoy.filters.network.http_connection_manager";
    private static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

    private final XdsConfig config;

    public Simulation(XdsConfig config) {
        this.config = config;
    }

    public static Simulation of(Collection<? extends Message> resources) {
        return new Simulation(XdsConfig.of(resources));
    }

    public XdsConfig config() {
        return config;
    }

    public Result call(Request request) {
        Trace trace = new Trace();
        try {
            ListenerSelector.Accepted accepted = ListenerSelector.select(config, request);
            trace.listener = new ListenerMatch(accepted.listener().getName(), accepted.handedOffBy(), null,
                    accepted.listener().getFilterChainsCount());
            FilterChainSelector.Selected chain = FilterChainSelector.select(accepted.listener(), accepted.connection());
            trace.listener = trace.listener.withChain(chain.name());
            checkTls(chain.chain(), request);
            handle(chain.chain(), accepted.connection(), request, trace);
            resolveClusters(trace);
            return trace.result(request, missingCluster(trace));
        } catch (SimulationStop stop) {
            return trace.result(request, stop.failure());
        }
    }

    /**
     * A request through the security filters of the filter chain it reaches, then routed as {@link #call} routes
     * it. The decision is null when the connection never reached a chain's filters (no listener, no chain, a TLS
     * mismatch: see the result's failure).
     *
     * @param peer       the URI SAN of the client's certificate; used only when the request is mutual TLS
     * @param authorizer what an ext_authz server answers
     */
    public Secured secured(Request request, String peer, Predicate<SecurityRequest> authorizer) {
        Result routed = call(request);
        try {
            ListenerSelector.Accepted accepted = ListenerSelector.select(config, request);
            FilterChainSelector.Selected selected = FilterChainSelector.select(accepted.listener(), accepted.connection());
            checkTls(selected.chain(), request);
            SecurityRequest security = new SecurityRequest(request.protocol(),
                    request.tls() == TlsMode.MTLS ? peer : null, request.sourceAddress(), request.sourceAddress(),
                    accepted.connection().localAddress(), accepted.connection().localPort(), request.sni(),
                    request.method(), request.path(), request.authority(), request.headers());
            for (Filter filter : selected.chain().getFiltersList()) {
                Optional<HttpConnectionManager> hcm = TypedConfigs.unpack(filter.getTypedConfig(), HttpConnectionManager.class);
                if (hcm.isPresent()) {
                    return new Secured(accepted.listener().getName(), selected.name(),
                            SecurityFilterChain.http(hcm.get().getHttpFiltersList(), security, authorizer), routed);
                }
            }
            return new Secured(accepted.listener().getName(), selected.name(),
                    SecurityFilterChain.tcp(selected.chain().getFiltersList(), security, authorizer), routed);
        } catch (SimulationStop stop) {
            return new Secured(null, null, null, routed);
        }
    }

    /** What {@link #secured} saw: the listener and chain, the security decision, and the routing. */
    public record Secured(String listener, String chain, SecurityDecision decision, Result result) {
        /** 200 allowed, 401 or 403 refused by the filters, 0 when the connection got no chain. */
        public int status() {
            return decision == null ? 0 : decision.status();
        }

        @Override
        public String toString() {
            return decision == null ? "no chain: " + result : "listener " + listener + " > chain " + chain + ": " + decision;
        }
    }

    /** Config Envoy would reject or that shadows itself: duplicate resource names, domains listed twice. */
    public List<String> configErrors() {
        List<String> out = new ArrayList<>(config.duplicateNames());
        config.routes().forEach(r -> out.addAll(VirtualHostSelector.duplicateDomains(r)));
        config.listeners().forEach(l -> l.getFilterChainsList().forEach(c -> c.getFiltersList().forEach(f -> {
            if (f.getTypedConfig().is(HttpConnectionManager.class)) {
                TypedConfigs.unpack(f.getTypedConfig(), HttpConnectionManager.class)
                        .filter(HttpConnectionManager::hasRouteConfig)
                        .ifPresent(h -> out.addAll(VirtualHostSelector.duplicateDomains(h.getRouteConfig())));
            }
        })));
        return out;
    }

    private static void checkTls(FilterChain chain, Request request) {
        Optional<DownstreamTlsContext> tls = TypedConfigs.unpack(chain.getTransportSocket().getTypedConfig(),
                DownstreamTlsContext.class);
        if (tls.isPresent() && request.tls() == TlsMode.PLAINTEXT) {
            throw new SimulationStop(Failure.Kind.TLS_MISMATCH, "the chain terminates TLS, the request is plaintext");
        }
        if (tls.isPresent() && tls.get().hasRequireClientCertificate()
                && tls.get().getRequireClientCertificate().getValue() && request.tls() != TlsMode.MTLS) {
            throw new SimulationStop(Failure.Kind.TLS_MISMATCH, "the chain requires a client certificate");
        }
    }

    /** The terminal network filter decides: HTTP connection manager or tcp_proxy. */
    private void handle(FilterChain chain, Connection connection, Request request, Trace trace) {
        boolean terminatesTls = chain.hasTransportSocket() && chain.getTransportSocket().getTypedConfig()
                .is(DownstreamTlsContext.class);
        for (Filter filter : chain.getFiltersList()) {
            Optional<HttpConnectionManager> hcm = filter.hasTypedConfig()
                    ? TypedConfigs.unpack(filter.getTypedConfig(), HttpConnectionManager.class) : Optional.empty();
            if (hcm.isPresent()) {
                if (!request.protocol().isHttp() || request.tls() != TlsMode.PLAINTEXT && !terminatesTls) {
                    throw new SimulationStop(Failure.Kind.NOT_HTTP, "an HTTP connection manager receives "
                            + (request.protocol().isHttp() ? "TLS bytes" : "raw TCP"));
                }
                HttpRouter.route(hcm.get(), config, connection, request, trace);
                return;
            }
            Optional<TcpProxy> tcp = TypedConfigs.unpack(filter.getTypedConfig(), TcpProxy.class);
            if (tcp.isPresent()) {
                trace.target = tcpTarget(tcp.get());
                return;
            }
            if (filter.getName().equals(HCM) || filter.getName().equals(TCP_PROXY)) {
                throw new SimulationStop(Failure.Kind.CONFIG_REJECTED, filter.getName() + " without its typed_config");
            }
        }
        throw new SimulationStop(Failure.Kind.UNSUPPORTED, "no HTTP connection manager or tcp_proxy in the chain");
    }

    private static RouteTarget tcpTarget(TcpProxy tcp) {
        return switch (tcp.getClusterSpecifierCase()) {
            case CLUSTER -> new RouteTarget.Clusters(List.of(new RouteTarget.WeightedCluster(tcp.getCluster(), 100)));
            case WEIGHTED_CLUSTERS -> new RouteTarget.Clusters(tcp.getWeightedClusters().getClustersList().stream()
                    .map(c -> new RouteTarget.WeightedCluster(c.getName(), c.getWeight())).toList());
            default -> throw new SimulationStop(Failure.Kind.CONFIG_REJECTED, "tcp_proxy without a cluster");
        };
    }

    private void resolveClusters(Trace trace) {
        if (trace.target instanceof RouteTarget.Clusters clusters) {
            for (RouteTarget.WeightedCluster c : clusters.clusters()) {
                Optional<Cluster> cluster = config.cluster(c.name());
                trace.upstreams.add(new Upstream(c.name(), c.weight(),
                        cluster.map(found -> ClusterDescriber.describe(found, config)).orElse(null)));
            }
        }
    }

    private static Failure missingCluster(Trace trace) {
        List<String> missing = trace.upstreams.stream().filter(u -> !u.found()).map(Upstream::cluster).toList();
        return missing.isEmpty() ? null
                : new Failure(Failure.Kind.CLUSTER_NOT_FOUND, "no cluster named " + String.join(", ", missing));
    }
}
