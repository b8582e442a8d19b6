package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentialsInterceptor;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.push.PushRequest;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Aggregated Discovery Service, state of the world ({@link Connection}) and incremental ({@link DeltaConnection}),
 * one per stream. Bound on the plaintext port it serves anonymous proxies; bound behind a
 * {@link CallerCredentialsInterceptor} (the authenticated port) it admits only proxies that prove the identity
 * they claim ({@link ProxyAdmission}). It decodes
 * requests, asks the proxy's generator for resources and encodes responses; pushes fan out from a bounded
 * executor.
 *
 * <p>Threading: the current {@link PushSnapshot} is swapped atomically by the push thread; connections
 * read it when they respond. Each connection orders its own requests and pushes with its lock.
 */
public final class AdsServer extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(AdsServer.class);
    /** How many tasks a push's fan-out is split into (more than the executor has threads, for balance). */
    private static final int PUSH_TASKS = 64;

    private final Function<Proxy, Optional<XdsGenerator>> generators;
    private final ExecutorService pushExecutor;
    private final XdsLimits limits;
    private final ProxyAdmission admission;
    private final AtomicReference<PushSnapshot> current = new AtomicReference<>();
    private final Map<Long, ProxyStream> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    final Counter rejects;
    final Counter responses;
    final Counter secretRefusals;

    /**
     * @param generators   picks the generator for a proxy; empty when that kind of proxy is not served
     * @param pushExecutor runs the fan-out of pushes; bounded, so pushes cannot flood the machine
     * @param access       who may connect, who may receive secrets, and the limits of every stream
     */
    public AdsServer(Function<Proxy, Optional<XdsGenerator>> generators, ExecutorService pushExecutor,
                     MeterRegistry meters, XdsAccess access) {
        this.generators = generators;
        this.pushExecutor = pushExecutor;
        this.limits = access.limits();
        this.admission = new ProxyAdmission(access.limits(), access.authenticator(), access.secretAccess(), meters);
        this.rejects = Counter.builder("pilot_total_xds_rejects").description("xDS responses NACKed by proxies")
                .register(meters);
        this.responses = Counter.builder("pilot_xds_pushes").description("xDS responses sent").register(meters);
        this.secretRefusals = Counter.builder("pilot_sds_certificate_errors_total")
                .description("Secrets a proxy asked for over SDS and may not receive").register(meters);
        meters.gauge("pilot_xds", connections, Map::size);
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new Connection(connectionIds.incrementAndGet(), (ServerCallStreamObserver<DiscoveryResponse>) responses,
                this, CallerCredentialsInterceptor.current());
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(StreamObserver<DeltaDiscoveryResponse> responses) {
        return new DeltaConnection(connectionIds.incrementAndGet(),
                (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses, this, CallerCredentialsInterceptor.current());
    }

    /**
     * Swaps in a new push and sends each connected proxy what changed for it, skipping the sidecars the
     * change cannot concern ({@link PushScope}). Returns when all were sent.
     * Connections go to the executor in {@value #PUSH_TASKS} slices, not one task each: with thousands of
     * connections and an endpoint push that concerns a few, queueing a task per connection cost more than
     * deciding, per connection, that there is nothing to send.
     */
    public void push(PushSnapshot snapshot, PushRequest request) {
        PushSnapshot before = current.getAndSet(snapshot);
        PushScope scope = PushScope.of(request, before == null ? null : before.context(), snapshot.context());
        List<ProxyStream> streams = List.copyOf(connections.values());
        int slice = Math.max(1, (streams.size() + PUSH_TASKS - 1) / PUSH_TASKS);
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < streams.size(); from += slice) {
            List<ProxyStream> part = streams.subList(from, Math.min(streams.size(), from + slice));
            sent.add(pushExecutor.submit(() -> part.forEach(c -> pushTo(c, request, scope))));
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

    private static void pushTo(ProxyStream connection, PushRequest request, PushScope scope) {
        try {
            connection.push(request, scope);
        } catch (RuntimeException e) {
            LOG.error("push to a proxy failed", e);
        }
    }

    /** Sets the first snapshot; connections that arrive before it wait for the first push. */
    public void initialize(PushSnapshot snapshot) {
        current.set(snapshot);
    }

    PushSnapshot current() {
        return current.get();
    }

    ProxyAdmission admission() {
        return admission;
    }

    XdsLimits limits() {
        return limits;
    }

    Optional<XdsGenerator> generatorFor(Proxy proxy) {
        return generators.apply(proxy);
    }

    void register(ProxyStream connection) {
        connections.put(connection.id(), connection);
    }

    void unregister(ProxyStream connection) {
        connections.remove(connection.id());
    }

    /** What each connected proxy has, for debugging and tests. */
    public List<ConnectionStatus> status() {
        return connections.values().stream().map(ProxyStream::status).flatMap(Optional::stream).toList();
    }
}
