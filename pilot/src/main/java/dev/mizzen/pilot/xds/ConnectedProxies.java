package dev.mizzen.pilot.xds;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.push.PushRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The admitted ADS streams and the push they are served from: what every stream's {@link StreamContext} is,
 * and where a push fans out from. A full push starts a new cache of generated resources; an endpoint-only push
 * keeps the cache but for the endpoints of the services that changed.
 *
 * <p>Threading: the current {@link PushSnapshot} is swapped atomically by the push thread (one push at a
 * time); streams read it when they answer. Streams register and unregister from gRPC threads (a concurrent map).
 * A push is handed to a bounded executor in slices and {@link #push} returns when all were sent.
 */
final class ConnectedProxies implements StreamContext {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectedProxies.class);
    /** How many tasks a push's fan-out is split into (more than the executor has threads, for balance). */
    private static final int PUSH_TASKS = 64;

    private final Function<Proxy, Optional<XdsGenerator>> generators;
    private final ExecutorService pushExecutor;
    private final XdsLimits limits;
    private final ProxyAdmission admission;
    private final XdsMetrics metrics;
    private final XdsDebug debug;
    private final java.time.Clock clock = java.time.Clock.systemUTC();
    private final ProxyVersions versions;
    private final Map<Long, ProxyStream> streams = new ConcurrentHashMap<>();
    private volatile PushSnapshot current;
    /** set once while istiod starts, before it serves (volatile: gRPC threads read it) */
    private volatile ConnectionHooks hooks = ConnectionHooks.NONE;

    ConnectedProxies(Function<Proxy, Optional<XdsGenerator>> generators, ExecutorService pushExecutor,
                     MeterRegistry meters, XdsAccess access, XdsDebug.Settings debug) {
        this.generators = generators;
        this.pushExecutor = pushExecutor;
        this.limits = access.limits();
        this.admission = new ProxyAdmission(access.limits(), access.authenticator(), access.secretAccess(), meters);
        this.metrics = new XdsMetrics(meters);
        this.debug = new XdsDebug(debug, this::status);
        this.versions = new ProxyVersions(meters);
    }

    void hooks(ConnectionHooks hooks) {
        this.hooks = hooks;
    }

    void initialize(PushContext context) {
        current = PushSnapshot.fresh(context);
    }

    /**
     * Swaps in a new push and sends each admitted proxy what changed for it, skipping the sidecars the change
     * cannot concern ({@link PushScope}). Streams go to the executor in {@value #PUSH_TASKS} slices, not one task
     * each: with thousands of streams and an endpoint push that concerns a few, queueing a task per stream cost
     * more than deciding, per stream, that there is nothing to send.
     */
    void push(PushContext context, PushRequest request, long firstChangeNanos) {
        long fanOutStart = System.nanoTime();
        PushSnapshot before = current;
        PushSnapshot next = before == null ? PushSnapshot.fresh(context)
                : !request.isFull() ? new PushSnapshot(context, before.cache().withoutEndpointsOf(request.hostsUpdated()))
                : onlyVirtualServices(request) ? new PushSnapshot(context, before.cache().keepingClustersAndEndpoints())
                : PushSnapshot.fresh(context);
        current = next;
        PushScope scope = PushScope.of(request, before == null ? null : before.context(), context);
        List<ProxyStream> all = List.copyOf(streams.values());
        int slice = Math.max(1, (all.size() + PUSH_TASKS - 1) / PUSH_TASKS);
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < all.size(); from += slice) {
            List<ProxyStream> part = all.subList(from, Math.min(all.size(), from + slice));
            sent.add(pushExecutor.submit(() -> part.forEach(s -> {
                long dequeued = System.nanoTime();
                metrics.queueTime.record(XdsMetrics.seconds(dequeued - fanOutStart));
                if (pushTo(s, request, scope)) {
                    metrics.convergence.record(XdsMetrics.seconds(System.nanoTime() - firstChangeNanos));
                }
            })));
        }
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.error("push to a proxy failed", e);
            }
        }
    }

    /** A full push caused by VirtualService edits and nothing else: clusters and endpoint sets stay as they were. */
    private static boolean onlyVirtualServices(PushRequest request) {
        return !request.configsUpdated().isEmpty() && request.hostsUpdated().isEmpty() && request.jwksUpdated().isEmpty()
                && request.configsUpdated().stream().allMatch(k -> k.kind() == ConfigKind.VIRTUAL_SERVICE);
    }

    /** True when the push concerned the proxy (it was sent what changed, or had it already). */
    private static boolean pushTo(ProxyStream stream, PushRequest request, PushScope scope) {
        try {
            return stream.push(request, scope);
        } catch (RuntimeException e) {
            LOG.error("push to a proxy failed", e);
            return false;
        }
    }

    /** Every admitted stream's status, sorted by connection id (proxy id, then stream), as Istio's {@code SortedClients}. */
    List<ConnectionStatus> status() {
        return streams.values().stream().map(ProxyStream::status).flatMap(Optional::stream)
                .sorted(java.util.Comparator.comparing(ConnectionStatus::connectionId))
                .toList();
    }

    /** The admitted streams now, in the order they were opened (stream ids grow). */
    List<ProxyStream> streams() {
        return streams.values().stream().sorted(java.util.Comparator.comparingLong(ProxyStream::id)).toList();
    }

    /** Responses sent so far, by Istio's type label. */
    Map<String, Long> responsesByType() {
        return metrics.pushesByType();
    }

    @Override
    public CompletableFuture<Proxy> admit(long streamId, Node node, Optional<CallerCredentials> credentials) {
        ConnectionHooks h = hooks;
        return admission.admit(streamId, node, credentials)
                .thenCompose(proxy -> h.connected(proxy, clock.instant()).thenApply(done -> proxy));
    }

    @Override
    public PushSnapshot current() {
        return current;
    }

    @Override
    public Optional<XdsGenerator> generatorFor(Proxy proxy) {
        return generators.apply(proxy);
    }

    @Override
    public XdsLimits limits() {
        return limits;
    }

    @Override
    public XdsMetrics metrics() {
        return metrics;
    }

    @Override
    public XdsDebug debug() {
        return debug;
    }

    @Override
    public java.time.Clock clock() {
        return clock;
    }

    @Override
    public void opened(ProxyStream stream) {
        streams.put(stream.id(), stream);
        versions.opened(stream.proxy());
    }

    @Override
    public void closed(ProxyStream stream) {
        if (streams.remove(stream.id()) != null) {
            versions.closed(stream.proxy());
            hooks.disconnected(stream.proxy(), clock.instant());
        }
    }
}
