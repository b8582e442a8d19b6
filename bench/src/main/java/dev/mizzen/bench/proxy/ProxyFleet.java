package dev.mizzen.bench.proxy;

import dev.mizzen.bench.mesh.MeshShape;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * P simulated proxies of one mode and one variant of xDS over one {@link ClientTransport}: proxy i belongs to workload
 * {@code i / replicas} (and, when its kind asks for listeners by name, calls that workload's services). Counts first convergence, NACKs and stream
 * failures, and hands every ACK to an {@link AckListener}.
 *
 * <p>Threading: proxies report from their stream threads; the counters are atomics, the latch counts
 * first convergences down, NACK reasons go to a concurrent queue. The proxy list is fixed at creation.
 */
public final class ProxyFleet implements ProxyEvents {
    private static final int KEPT_REASONS = 20;

    private final List<SimulatedProxy> proxies;
    private final ClientTransport transport;
    private final AckListener acks;
    private final CountDownLatch firstConverged;
    private final AtomicLong lastFirstConvergedNanos = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicLongArray firstConvergedAt;
    private final AtomicLong ackedBytes = new AtomicLong();
    private final AtomicInteger nacks = new AtomicInteger();
    private final AtomicInteger streamErrors = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> reasons = new ConcurrentLinkedQueue<>();

    private ProxyFleet(int size, ClientTransport transport, AckListener acks) {
        this.proxies = new ArrayList<>(size);
        this.transport = transport;
        this.acks = acks;
        this.firstConverged = new CountDownLatch(size);
        this.firstConvergedAt = new java.util.concurrent.atomic.AtomicLongArray(size);
    }

    public static ProxyFleet create(MeshShape shape, ProxyMode mode, XdsProtocol protocol, int size,
                                    ClientTransport transport, AckListener acks) {
        ProxyFleet fleet = new ProxyFleet(size, transport, acks);
        ResourceIndex index = new ResourceIndex(mode.reader());
        RequestTemplates templates = new RequestTemplates();
        StringInterner versions = new StringInterner();
        Function<Set<String>, SubscriptionPolicy> policies = mode.policies();
        for (int i = 0; i < size; i++) {
            Set<String> listeners = shape.servicesOf(shape.workloadOf(i)).stream()
                    .map(shape::listenerName).collect(Collectors.toCollection(java.util.TreeSet::new));
            SubscriptionPolicy policy = policies.apply(listeners);
            fleet.proxies.add(protocol == XdsProtocol.DELTA
                    ? new DeltaProxy(i, mode.node(shape, i), policy, index, versions, fleet)
                    : new SotwProxy(i, mode.node(shape, i), policy, index, templates, fleet));
        }
        return fleet;
    }

    /** Opens every proxy's stream, as fast as one thread can; returns the System.nanoTime it began at. */
    public long connectAll() {
        long start = System.nanoTime();
        for (SimulatedProxy proxy : proxies) {
            proxy.start(AggregatedDiscoveryServiceGrpc.newStub(transport.channelFor(proxy.index())));
        }
        return start;
    }

    /** Waits until every proxy converged once; false on timeout. */
    public boolean awaitFirstConverged(Duration timeout) throws InterruptedException {
        return firstConverged.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public int size() {
        return proxies.size();
    }

    public int firstConverged() {
        return proxies.size() - (int) firstConverged.getCount();
    }

    public long lastFirstConvergedNanos() {
        return lastFirstConvergedNanos.get();
    }

    /** When each proxy that converged did so first, as System.nanoTime values, in no particular order. */
    public List<Long> firstConvergedTimes() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < firstConvergedAt.length(); i++) {
            if (firstConvergedAt.get(i) != 0) {
                out.add(firstConvergedAt.get(i));
            }
        }
        return out;
    }

    /** How many proxies hold, right now, everything their config refers to. */
    public int convergedNow() {
        return (int) proxies.stream().filter(SimulatedProxy::converged).count();
    }

    /** Bytes of every response the proxies accepted so far (serialized DiscoveryResponses). */
    public long ackedBytes() {
        return ackedBytes.get();
    }

    /** How many resources of each type proxy {@code index} holds, by type URL. */
    public Map<String, Integer> heldCounts(int index) {
        return proxies.get(index).heldCounts();
    }

    public int nacks() {
        return nacks.get();
    }

    public int streamErrors() {
        return streamErrors.get();
    }

    /** The first few NACK and stream-failure reasons, for the report. */
    public List<String> problems() {
        return List.copyOf(reasons);
    }

    /** The proxies whose subscription of {@code typeUrl} includes any of {@code names}. */
    public BitSet subscribers(String typeUrl, Set<String> names) {
        BitSet out = new BitSet(proxies.size());
        for (SimulatedProxy proxy : proxies) {
            Subscription subscription = proxy.subscriptions().get(typeUrl);
            if (subscription != null && subscription.includesAny(names)) {
                out.set(proxy.index());
            }
        }
        return out;
    }

    /** The proxies whose last accepted resources of {@code typeUrl} include any of {@code names}. */
    public BitSet holders(String typeUrl, Set<String> names) {
        BitSet out = new BitSet(proxies.size());
        for (SimulatedProxy proxy : proxies) {
            if (proxy.holdsAny(typeUrl, names)) {
                out.set(proxy.index());
            }
        }
        return out;
    }

    public void startCapture() {
        proxies.forEach(SimulatedProxy::startCapture);
    }

    /** The responses each proxy accepted since {@link #startCapture}, by proxy index. */
    public List<List<byte[]>> stopCapture() {
        return proxies.stream().map(SimulatedProxy::stopCapture).toList();
    }

    /** Drops what every proxy keeps per resource (see {@link SimulatedProxy#dropHoldings}); before disconnecting. */
    public void dropHoldings() {
        proxies.forEach(SimulatedProxy::dropHoldings);
    }

    /** Ends every stream (the transport is closed by its owner). */
    public void disconnectAll() {
        proxies.forEach(SimulatedProxy::close);
    }

    @Override
    public void onAck(SimulatedProxy proxy, AcceptedResponse response, long ackNanos) {
        ackedBytes.addAndGet(response.bytes());
        acks.onAck(proxy, response, ackNanos);
    }

    @Override
    public void onFirstConverged(SimulatedProxy proxy, long nanos) {
        lastFirstConvergedNanos.accumulateAndGet(nanos, Math::max);
        firstConvergedAt.set(proxy.index(), nanos);
        firstConverged.countDown();
    }

    @Override
    public void onNack(SimulatedProxy proxy, String typeUrl, String reason) {
        nacks.incrementAndGet();
        keep(proxy.nodeId() + " NACKed " + typeUrl + ": " + reason);
    }

    @Override
    public void onRefused(SimulatedProxy proxy) {
        refused.incrementAndGet();
    }

    /** Streams the server refused and the proxies opened again. */
    public int refused() {
        return refused.get();
    }

    @Override
    public void onStreamError(SimulatedProxy proxy, Throwable error) {
        streamErrors.incrementAndGet();
        keep(proxy.nodeId() + " stream failed: " + error);
    }

    private void keep(String reason) {
        if (reasons.size() < KEPT_REASONS) {
            reasons.add(reason);
        }
    }
}
